#include "app/heap_warmup.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14
#endif

namespace skema::ui {
namespace {

// The mmap threshold the warm-up leaves (glibc raises it on its own up to
// 32 MB as the program frees large blocks; this app's report cache frees
// columns of 4-8 MB). The trim threshold becomes twice it, so up to 32 MB of
// freed heap may stay with the process instead of going back at once.
constexpr size_t kThreshold = 16u << 20;

uintptr_t pageSize() { return static_cast<uintptr_t>(sysconf(_SC_PAGESIZE)); }

// A malloc/free pair the compiler must not leave out.
void allocateAndFree(size_t bytes) {
  void* volatile block = std::malloc(bytes);
  std::free(block);
}

}  // namespace

HeapWarmup::HeapWarmup(size_t bytes) {
  // malloc would write into the blocks below (MALLOC_PERTURB_), touching
  // the pages this is meant to spare.
  if (const char* t = std::getenv("GLIBC_TUNABLES"); std::getenv("MALLOC_PERTURB_") || (t && std::strstr(t, "perturb")))
    return;
  // No mallopt: setting a parameter turns glibc's adaptive thresholds off
  // for good. Its own rule does the job instead: freeing a block it mapped
  // on its own raises the mmap threshold to that block's size (and the trim
  // threshold to twice that). The block is never touched, so mapping it
  // costs nothing. With MALLOC_ settings or tunables glibc does not adapt,
  // and the heap does not grow below: nothing is done.
  allocateAndFree(kThreshold);
  // Then blocks larger than the heap's free top, each under the raised
  // threshold: the heap grows by them, and freeing them leaves the grown
  // part as the free top, under the trim threshold (twice the other), so it
  // stays.
  const size_t top = mallinfo2().keepcost;
  const auto end = reinterpret_cast<uintptr_t>(sbrk(0));
  const size_t keep = 2 * kThreshold - (1u << 20);
  if (top + bytes > keep) bytes = keep > top ? keep - top : 0;
  std::vector<void*> blocks;
  for (size_t left = top + bytes, step = kThreshold / 2; left > 0; left -= std::min(left, step))
    blocks.push_back(std::malloc(std::min(left, step)));
  for (void* b : blocks) std::free(b);
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
