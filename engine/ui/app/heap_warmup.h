// Start-up: fresh heap pages made present on the second thread, before the
// GL driver asks for them on the main thread.
//
// Under a software renderer in a virtual machine a page fault costs ~12 µs,
// and once the window exists the driver touches ~12 MB of fresh heap on the
// main thread (compiling ImGui's shaders, the font texture, the first draw:
// ~3,200 faults, most of the 65 ms those steps took). The heap is grown once
// at the start; while the main thread waits for the window, the second
// thread makes those pages present (MADV_POPULATE_WRITE, which leaves their
// contents alone), so the driver's allocations land on memory that is
// already there. No malloc parameter is set (that would end glibc's
// adaptive thresholds for the process): the heap is grown through glibc's
// own rules, and after the first frame what was not used is returned.
#pragma once
#include <cstddef>
#include <cstdint>

namespace skema::ui {

class HeapWarmup {
 public:
  // Main thread, early: lets large blocks (up to ~32 MB) come from the heap
  // rather than their own mappings, as glibc does after it has freed such a
  // block, and grows the heap by `bytes` (up to ~30 MB with its free top).
  explicit HeapWarmup(size_t bytes);
  HeapWarmup(const HeapWarmup&) = delete;
  HeapWarmup& operator=(const HeapWarmup&) = delete;
  ~HeapWarmup() { finish(); }

  // Any thread, any time before the memory is needed: makes the grown pages
  // present, 1 MB per call into the kernel. False when the kernel cannot
  // (before Linux 5.14): the start is then as without it.
  bool populate() const;

  // After the first frame: the free top of the heap is returned.
  void finish();

  // The grown range (empty when the heap could not be grown).
  bool contains(const void* p) const {
    const auto a = reinterpret_cast<uintptr_t>(p);
    return a >= m_begin && a < m_end;
  }
  size_t size() const { return m_end - m_begin; }

 private:
  uintptr_t m_begin = 0, m_end = 0;  // page-aligned, inside the heap's top chunk
};

}  // namespace skema::ui
