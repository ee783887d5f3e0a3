#include "app/heap_warmup.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14
#endif

namespace skema::ui {
namespace {

// glibc's defaults (mallopt(3)); setting any of them fixes the mmap
// threshold, which glibc otherwise adapts: 128 KiB is where it starts.
constexpr int kDefaultMmapThreshold = 128 * 1024;
constexpr int kDefaultTrimThreshold = 128 * 1024;
constexpr int kDefaultTopPad = 128 * 1024;

uintptr_t pageUp(uintptr_t a) {
  const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  return (a + page - 1) & ~(page - 1);
}

}  // namespace

HeapWarmup::HeapWarmup(size_t bytes) {
  const int pad = static_cast<int>(std::min<size_t>(bytes, 64u << 20));
  // Blocks up to 32 MB (the font texture, the driver's buffers) come from
  // the heap, where the populated pages are; freed ones stay there.
  m_active = true;  // from here on finish() restores the settings
  if (!mallopt(M_MMAP_THRESHOLD, 32 << 20) || !mallopt(M_TRIM_THRESHOLD, 2 * pad) || !mallopt(M_TOP_PAD, pad))
    return;
  // The heap's free top, then one block larger than it: the heap grows by
  // the block and the pad, and freeing the block leaves all of it free.
  const size_t top = mallinfo2().keepcost;
  const auto end = reinterpret_cast<uintptr_t>(sbrk(0));
  void* volatile block = std::malloc(top + (1 << 20));  // volatile: the pair must not be optimised away
  std::free(block);
  const auto grown = reinterpret_cast<uintptr_t>(sbrk(0));
  if (grown <= end) return;  // the heap is not where brk is (another allocator): nothing to do
  m_begin = pageUp(end - top);
  m_end = grown & ~(pageUp(1) - 1);
}

bool HeapWarmup::populate() const {
  constexpr uintptr_t kStep = 1 << 20;  // bounds how long the address space lock is held at a time
  for (uintptr_t a = m_begin; a < m_end; a += kStep)
    if (madvise(reinterpret_cast<void*>(a), std::min(kStep, m_end - a), MADV_POPULATE_WRITE) != 0) return false;
  return m_end > m_begin;
}

void HeapWarmup::finish() {
  if (!m_active) return;
  m_active = false;
  mallopt(M_TOP_PAD, kDefaultTopPad);
  mallopt(M_TRIM_THRESHOLD, kDefaultTrimThreshold);
  mallopt(M_MMAP_THRESHOLD, kDefaultMmapThreshold);
  malloc_trim(0);
}

}  // namespace skema::ui
