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

// glibc's ceiling for its adaptive mmap threshold (DEFAULT_MMAP_THRESHOLD_MAX
// on 64-bit systems, mallopt(3)).
constexpr size_t kAdaptiveMax = 32u << 20;

uintptr_t pageSize() { return static_cast<uintptr_t>(sysconf(_SC_PAGESIZE)); }

// A malloc/free pair the compiler must not leave out.
void allocateAndFree(size_t bytes) {
  void* volatile block = std::malloc(bytes);
  std::free(block);
}

}  // namespace

HeapWarmup::HeapWarmup(size_t bytes) {
  // No mallopt: setting a parameter turns glibc's adaptive thresholds off
  // for good. Its own rule does the job instead: freeing a block it mapped
  // on its own raises the mmap threshold to that block's size (and the trim
  // threshold to twice that), as the report cache's large columns would
  // later anyway. The block is never touched, so mapping it costs nothing.
  allocateAndFree(kAdaptiveMax - (1u << 20));
  // Then a block larger than the heap's free top: the heap grows by it, and
  // freeing it leaves the grown part as the free top, below the new trim
  // threshold, so it stays.
  const size_t top = mallinfo2().keepcost;
  const auto end = reinterpret_cast<uintptr_t>(sbrk(0));
  allocateAndFree(std::min(top + bytes, kAdaptiveMax - (2u << 20)));  // under the raised threshold
  const auto grown = reinterpret_cast<uintptr_t>(sbrk(0));
  if (grown <= end) return;  // the heap is not where brk is (another allocator, MALLOC_ settings)
  const uintptr_t page = pageSize();
  m_begin = (end - top + page - 1) & ~(page - 1);
  m_end = grown & ~(page - 1);
}

bool HeapWarmup::populate() const {
  constexpr uintptr_t kStep = 1 << 20;  // bounds how long the address space lock is held at a time
  for (uintptr_t a = m_begin; a < m_end; a += kStep)
    if (madvise(reinterpret_cast<void*>(a), std::min(kStep, m_end - a), MADV_POPULATE_WRITE) != 0) return false;
  return m_end > m_begin;
}

void HeapWarmup::finish() {
  if (m_end <= m_begin) return;
  m_begin = m_end = 0;
  malloc_trim(0);
}

}  // namespace skema::ui
