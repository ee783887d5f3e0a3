#include "store/open_workspaces.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <utility>

#include "store/sqlite_store.h"

namespace skema::store {

namespace {

using FileId = std::pair<dev_t, ino_t>;

std::mutex& registryMutex() {
  static std::mutex m;
  return m;
}
std::map<FileId, int>& registry() {
  static std::map<FileId, int> r;
  return r;
}

bool fileId(const std::string& path, FileId& id) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  id = {st.st_dev, st.st_ino};
  return true;
}

}  // namespace

OpenWorkspaceMark::OpenWorkspaceMark(const std::string& path) {
  FileId id;
  if (!fileId(path, id)) return;
  std::lock_guard<std::mutex> lock(registryMutex());
  ++registry()[id];
  m_marked = true;
  m_dev = id.first;
  m_ino = id.second;
}

OpenWorkspaceMark::~OpenWorkspaceMark() {
  if (!m_marked) return;
  std::lock_guard<std::mutex> lock(registryMutex());
  auto it = registry().find(FileId(dev_t(m_dev), ino_t(m_ino)));
  if (it != registry().end() && --it->second <= 0) registry().erase(it);
}

bool isOpenWorkspace(const std::string& path) {
  FileId id;
  if (!fileId(path, id)) return false;
  std::lock_guard<std::mutex> lock(registryMutex());
  return registry().count(id) > 0;
}

PathKind pathKind(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return PathKind::Missing;
  if (S_ISDIR(st.st_mode)) return PathKind::Directory;
  if (!S_ISREG(st.st_mode)) return PathKind::Special;
  if (isOpenWorkspace(path)) return PathKind::OpenWorkspace;
  // Not held by any connection of ours, so a descriptor of our own is safe.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return PathKind::RegularFile;
  unsigned char head[100] = {};
  ssize_t n = ::pread(fd, head, sizeof head, 0);
  ::close(fd);
  if (n < 100 || std::memcmp(head, "SQLite format 3", 16) != 0) return PathKind::RegularFile;
  // application_id: big-endian 32-bit integer at offset 68 of the header.
  std::uint32_t app = (std::uint32_t(head[68]) << 24) | (std::uint32_t(head[69]) << 16) |
                      (std::uint32_t(head[70]) << 8) | std::uint32_t(head[71]);
  return app == std::uint32_t(kApplicationId) ? PathKind::Workspace : PathKind::SqliteFile;
}

}  // namespace skema::store
