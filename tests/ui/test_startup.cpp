// What the host does to start fast: the saved font atlas and the heap made
// present ahead of the GL driver. Each must give what the slow way gives.
#include <doctest/doctest.h>

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "app/font_cache.h"
#include "app/fonts.h"
#include "app/heap_warmup.h"
#include "imgui.h"

using namespace skema::ui;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/skema-ui-cache-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

fs::path onlyAtlasFile(const fs::path& dir) {
  fs::path found;
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".atlas") found = e.path(), ++n;
  return n == 1 ? found : fs::path();
}

void requireSameAtlas(ImFontAtlas& built, ImFontAtlas& read) {
  REQUIRE(read.IsBuilt());
  REQUIRE(read.TexWidth == built.TexWidth);
  REQUIRE(read.TexHeight == built.TexHeight);
  CHECK(std::memcmp(read.TexPixelsAlpha8, built.TexPixelsAlpha8, size_t(built.TexWidth) * built.TexHeight) == 0);
  CHECK(read.TexUvWhitePixel.x == built.TexUvWhitePixel.x);
  CHECK(read.TexUvWhitePixel.y == built.TexUvWhitePixel.y);
  CHECK(std::memcmp(read.TexUvLines, built.TexUvLines, sizeof built.TexUvLines) == 0);
  REQUIRE(read.Fonts.Size == built.Fonts.Size);
  const char* text = "Æblegrød på øen — “Łukasz” ≤ 5 ✓";
  for (int i = 0; i < built.Fonts.Size; ++i) {
    const ImFont& a = *built.Fonts[i];
    const ImFont& b = *read.Fonts[i];
    CHECK(b.FontSize == a.FontSize);
    CHECK(b.Ascent == a.Ascent);
    CHECK(b.Descent == a.Descent);
    REQUIRE(b.Glyphs.Size == a.Glyphs.Size);
    CHECK(std::memcmp(b.Glyphs.Data, a.Glyphs.Data, sizeof(ImFontGlyph) * a.Glyphs.Size) == 0);
    const ImVec2 sa = a.CalcTextSizeA(a.FontSize, 10000, 0, text);
    const ImVec2 sb = b.CalcTextSizeA(b.FontSize, 10000, 0, text);
    CHECK(sb.x == sa.x);
    CHECK(sb.y == sa.y);
    REQUIRE(b.FindGlyph(u'ø'));
    CHECK(b.FindGlyph(u'ø')->U0 == a.FindGlyph(u'ø')->U0);
    CHECK(b.FallbackGlyph);
    CHECK(b.ContainerAtlas == &read);
  }
}

long threadFaults() {
  rusage ru{};
  getrusage(RUSAGE_THREAD, &ru);
  return ru.ru_minflt;
}

}  // namespace

TEST_CASE("the font atlas is saved once and read back the same") {
  TempDir dir;
  UiContext builtCtx, readCtx;
  ImFontAtlas built, read;
  loadFonts(built, builtCtx, 1.0f, dir.path.string());
  REQUIRE(built.IsBuilt());
  const fs::path file = onlyAtlasFile(dir.path);
  REQUIRE(!file.empty());
  const auto written = fs::last_write_time(file);

  loadFonts(read, readCtx, 1.0f, dir.path.string());
  CHECK(fs::last_write_time(file) == written);  // read, not built and written again
  requireSameAtlas(built, read);
  CHECK(readCtx.fontRegular == read.Fonts[0]);
  CHECK(readCtx.fontTitle->FontSize > readCtx.fontRegular->FontSize);

  // Another scale is another atlas; the old file goes.
  ImFontAtlas scaled;
  UiContext scaledCtx;
  loadFonts(scaled, scaledCtx, 2.0f, dir.path.string());
  CHECK(scaledCtx.fontRegular->FontSize == doctest::Approx(2 * builtCtx.fontRegular->FontSize));
  CHECK(!fs::exists(file));
  CHECK(!onlyAtlasFile(dir.path).empty());
}

TEST_CASE("a damaged or foreign atlas file is not used") {
  TempDir dir;
  UiContext ctx;
  ImFontAtlas built;
  loadFonts(built, ctx, 1.0f, dir.path.string());
  const fs::path file = onlyAtlasFile(dir.path);
  REQUIRE(!file.empty());
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  // The key is in the file; find it by reading back with the wrong one.
  ImFontAtlas other;
  CHECK_FALSE(readAtlas(other, "another key", file.string()));
  CHECK(other.Fonts.Size == 0);

  auto writeBytes = [&](const std::string& b) { std::ofstream(file, std::ios::binary | std::ios::trunc) << b; };
  for (size_t cut : {size_t(0), size_t(10), bytes.size() / 2, bytes.size() - 1}) {
    writeBytes(bytes.substr(0, cut));
    ImFontAtlas a;
    UiContext c;
    loadFonts(a, c, 1.0f, dir.path.string());  // falls back to building
    INFO("file cut to " << cut << " bytes");
    requireSameAtlas(built, a);
  }
  // One flipped byte anywhere: in the first font's glyphs (after ~2 KB of
  // header, key and line UVs), in the pixels, in the end marker.
  for (size_t at : {size_t(3000), bytes.size() / 2, bytes.size() - 2}) {
    std::string flipped = bytes;
    flipped[at] ^= 0x55;
    writeBytes(flipped);
    ImFontAtlas a;
    UiContext c;
    loadFonts(a, c, 1.0f, dir.path.string());
    INFO("byte " << at << " flipped");
    requireSameAtlas(built, a);
  }
}

TEST_CASE("the heap made present ahead: the next large block costs no page faults") {
  // Larger than all free memory below the heap's top together, so the block
  // must come from the top, where the grown and populated pages are.
  const struct mallinfo2 mi = mallinfo2();
  const size_t n = (mi.fordblks - mi.keepcost) + (4 << 20);
  HeapWarmup heap(n + (4 << 20));
  if (heap.size() == 0 || !heap.populate()) {
    WARN_MESSAGE(false, "heap warm-up not available here (heap not on brk, or kernel before 5.14)");
    return;
  }
  char* volatile block = static_cast<char*>(std::malloc(n));  // volatile: kept, not optimised away
  REQUIRE(block);
  CHECK(heap.contains(block + 4096));
  CHECK(heap.contains(block + n - 1));
  const long before = threadFaults();
  std::memset(block, 1, n);
  const long faults = threadFaults() - before;
  INFO(faults << " faults writing " << n / 4096 << " pages");
  CHECK(faults < static_cast<long>(n / 4096 / 20));  // < 5 %
  std::free(block);

  // Afterwards the free top of the heap is returned to the system.
  heap.finish();
  CHECK(mallinfo2().keepcost < (1u << 20));
}
