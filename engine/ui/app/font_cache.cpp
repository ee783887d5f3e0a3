#include "app/font_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <type_traits>
#include <vector>

#include "imgui.h"

namespace skema::ui {
namespace {

// The file holds ImGui's own structs byte for byte: it is read back only by
// the same build (the key carries ImGui's version, the header the sizes).
static_assert(std::is_trivially_copyable_v<ImFontGlyph>);
static_assert(std::is_trivially_copyable_v<ImFontAtlasCustomRect>);

constexpr char kMagic[8] = {'S', 'K', 'F', 'O', 'N', 'T', 'S', '2'};
constexpr char kEnd[4] = {'E', 'N', 'D', '.'};

struct Header {
  char magic[8];
  uint32_t glyphSize, rectSize, configSize, lines;
  int32_t width, height;
  uint32_t fonts, rects, keySize;
  int32_t packIdCursors, packIdLines;
  ImVec2 uvWhite;
};

// The scalar state of one font; its glyphs and config follow it.
struct FontHeader {
  float size, ascent, descent;
  int32_t surface;
  ImWchar fallback, ellipsis, dot;
  uint32_t glyphs;
};

class Writer {
 public:
  template <class T>
  void put(const T& v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void put(const void* p, size_t n) { out.append(static_cast<const char*>(p), n); }
  std::string out;
};

class Reader {
 public:
  explicit Reader(const std::string& s) : data(s) {}
  template <class T>
  bool get(T& v) {
    return get(&v, sizeof v);
  }
  bool get(void* p, size_t n) {
    if (n > data.size() - pos) return false;
    std::memcpy(p, data.data() + pos, n);
    pos += n;
    return true;
  }
  bool atEnd() const { return pos == data.size(); }

 private:
  const std::string& data;
  size_t pos = 0;
};

// A checksum of everything before it in the file, so that any damage (a
// torn write, a flipped bit) makes the file unusable rather than wrong:
// ImGui trusts glyph data it is given. Eight bytes at a time, then the rest.
uint64_t checksum(const char* p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ull;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ w) * 0x100000001b3ull;
    h ^= h >> 29;
  }
  for (; i < n; ++i) h = (h ^ static_cast<unsigned char>(p[i])) * 0x100000001b3ull;
  return h;
}

int fontIndex(const ImFontAtlas& atlas, const ImFont* f) {
  for (int i = 0; i < atlas.Fonts.Size; ++i)
    if (atlas.Fonts[i] == f) return i;
  return -1;
}

}  // namespace

bool writeAtlas(const ImFontAtlas& atlas, const std::string& key, const std::string& path) {
  if (!atlas.TexPixelsAlpha8 || atlas.TexWidth <= 0 || atlas.TexHeight <= 0) return false;
  // One config per font: merged fonts (several inputs in one ImFont) are not kept.
  if (atlas.ConfigData.Size != atlas.Fonts.Size) return false;
  Writer w;
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.glyphSize = sizeof(ImFontGlyph);
  h.rectSize = sizeof(ImFontAtlasCustomRect);
  h.configSize = sizeof(ImFontConfig);
  h.lines = IM_ARRAYSIZE(atlas.TexUvLines);
  h.width = atlas.TexWidth;
  h.height = atlas.TexHeight;
  h.fonts = static_cast<uint32_t>(atlas.Fonts.Size);
  h.rects = static_cast<uint32_t>(atlas.CustomRects.Size);
  h.keySize = static_cast<uint32_t>(key.size());
  h.packIdCursors = atlas.PackIdMouseCursors;
  h.packIdLines = atlas.PackIdLines;
  h.uvWhite = atlas.TexUvWhitePixel;
  w.put(h);
  w.put(key.data(), key.size());
  w.put(atlas.TexUvLines, sizeof atlas.TexUvLines);
  for (const auto& r : atlas.CustomRects) {
    ImFontAtlasCustomRect copy = r;
    copy.Font = reinterpret_cast<ImFont*>(static_cast<intptr_t>(fontIndex(atlas, r.Font)));
    w.put(copy);
  }
  for (int i = 0; i < atlas.Fonts.Size; ++i) {
    const ImFont& f = *atlas.Fonts[i];
    if (f.ConfigData != &atlas.ConfigData[i] || f.ConfigDataCount != 1) return false;
    FontHeader fh{f.FontSize, f.Ascent, f.Descent, f.MetricsTotalSurface,
                  f.FallbackChar, f.EllipsisChar, f.DotChar, static_cast<uint32_t>(f.Glyphs.Size)};
    w.put(fh);
    w.put(f.Glyphs.Data, sizeof(ImFontGlyph) * f.Glyphs.Size);
    ImFontConfig cfg = atlas.ConfigData[i];
    cfg.FontData = nullptr;  // the TTF bytes are not needed once rasterised
    cfg.FontDataSize = 0;
    cfg.GlyphRanges = nullptr;
    cfg.DstFont = nullptr;
    w.put(cfg);
  }
  w.put(atlas.TexPixelsAlpha8, static_cast<size_t>(atlas.TexWidth) * atlas.TexHeight);
  w.put(checksum(w.out.data(), w.out.size()));
  w.put(kEnd);

  // Written whole and on disk before it takes the name: a reader sees the
  // old file or the new one.
  const std::string tmp = path + ".tmp" + std::to_string(getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  size_t done = 0;
  while (done < w.out.size()) {
    const ssize_t n = ::write(fd, w.out.data() + done, w.out.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool written = done == w.out.size() && ::fsync(fd) == 0;
  ::close(fd);
  std::error_code ec;
  if (!written) {
    std::filesystem::remove(tmp, ec);
    return false;
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) std::filesystem::remove(tmp, ec);
  return !ec;
}

bool readAtlas(ImFontAtlas& atlas, const std::string& key, const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return false;
  const std::streamoff size = in.tellg();
  if (size <= 0 || size > (256 << 20)) return false;
  std::string data(static_cast<size_t>(size), '\0');
  if (!in.seekg(0).read(data.data(), size)) return false;
  uint64_t stored = 0;
  if (data.size() < sizeof stored + sizeof kEnd) return false;
  const size_t body = data.size() - sizeof stored - sizeof kEnd;
  std::memcpy(&stored, data.data() + body, sizeof stored);
  if (stored != checksum(data.data(), body)) return false;
  Reader r(data);
  Header h{};
  if (!r.get(h) || std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 || h.glyphSize != sizeof(ImFontGlyph) ||
      h.rectSize != sizeof(ImFontAtlasCustomRect) || h.configSize != sizeof(ImFontConfig) ||
      h.lines != IM_ARRAYSIZE(atlas.TexUvLines) || h.width <= 0 || h.height <= 0 || h.width > 16384 ||
      h.height > 16384 || h.fonts == 0 || h.fonts > 64 || h.keySize != key.size())
    return false;
  std::string storedKey(h.keySize, '\0');
  if (!r.get(storedKey.data(), storedKey.size()) || storedKey != key) return false;

  // Everything is read and checked before the atlas is touched.
  ImVec4 lines[IM_ARRAYSIZE(atlas.TexUvLines)];
  if (!r.get(lines, sizeof lines)) return false;
  if (h.rects > 4096 || h.packIdCursors < -1 || h.packIdLines < -1 || h.packIdCursors >= int32_t(h.rects) ||
      h.packIdLines >= int32_t(h.rects))
    return false;
  ImVector<ImFontAtlasCustomRect> rects;
  rects.resize(static_cast<int>(h.rects));
  if (!r.get(rects.Data, sizeof(ImFontAtlasCustomRect) * h.rects)) return false;
  struct Font {
    FontHeader head;
    ImVector<ImFontGlyph> glyphs;
    ImFontConfig cfg;
  };
  std::vector<Font> fonts(h.fonts);
  for (auto& f : fonts) {
    // What ImGui indexes by without checking: glyphs of code points it can
    // hold, at least one (the lookup table takes the last), a named config.
    if (!r.get(f.head) || f.head.glyphs == 0 || f.head.glyphs >= IM_UNICODE_CODEPOINT_MAX) return false;
    f.glyphs.resize(static_cast<int>(f.head.glyphs));
    if (!r.get(f.glyphs.Data, sizeof(ImFontGlyph) * f.head.glyphs) || !r.get(f.cfg)) return false;
    for (const auto& g : f.glyphs)
      if (g.Codepoint > IM_UNICODE_CODEPOINT_MAX) return false;
    f.cfg.Name[sizeof f.cfg.Name - 1] = '\0';
  }
  const size_t pixels = static_cast<size_t>(h.width) * h.height;
  auto* alpha = static_cast<unsigned char*>(IM_ALLOC(pixels));
  char end[sizeof kEnd];
  uint64_t sum = 0;
  if (!r.get(alpha, pixels) || !r.get(sum) || !r.get(end) || std::memcmp(end, kEnd, sizeof kEnd) != 0 || !r.atEnd()) {
    IM_FREE(alpha);
    return false;
  }

  atlas.Clear();
  atlas.ConfigData.resize(static_cast<int>(fonts.size()));  // before the fonts point into it
  for (int i = 0; i < atlas.ConfigData.Size; ++i) {
    auto& src = fonts[i];
    ImFont* f = IM_NEW(ImFont);
    atlas.Fonts.push_back(f);
    atlas.ConfigData[i] = src.cfg;
    atlas.ConfigData[i].FontDataOwnedByAtlas = false;
    atlas.ConfigData[i].DstFont = f;
    f->FontSize = src.head.size;
    f->Ascent = src.head.ascent;
    f->Descent = src.head.descent;
    f->MetricsTotalSurface = src.head.surface;
    f->FallbackChar = src.head.fallback;
    f->EllipsisChar = src.head.ellipsis;
    f->DotChar = src.head.dot;
    f->ContainerAtlas = &atlas;
    f->ConfigData = &atlas.ConfigData[i];
    f->ConfigDataCount = 1;
    f->Glyphs.swap(src.glyphs);
    f->BuildLookupTable();
  }
  for (auto& rect : rects) {
    const intptr_t index = reinterpret_cast<intptr_t>(rect.Font);
    rect.Font = index >= 0 && index < atlas.Fonts.Size ? atlas.Fonts[static_cast<int>(index)] : nullptr;
  }
  atlas.CustomRects.swap(rects);
  atlas.PackIdMouseCursors = h.packIdCursors;
  atlas.PackIdLines = h.packIdLines;
  std::memcpy(atlas.TexUvLines, lines, sizeof lines);
  atlas.TexPixelsAlpha8 = alpha;
  atlas.TexWidth = h.width;
  atlas.TexHeight = h.height;
  atlas.TexUvScale = ImVec2(1.0f / h.width, 1.0f / h.height);
  atlas.TexUvWhitePixel = h.uvWhite;
  atlas.TexReady = true;
  return true;
}

}  // namespace skema::ui
