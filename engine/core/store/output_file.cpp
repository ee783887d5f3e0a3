#include "store/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "store/open_workspaces.h"

namespace skema::store {

namespace {

[[noreturn]] void refuse(ErrorKind kind, const std::string& path, const std::string& why) {
  throw OutputError(kind, path + ": " + why);
}

std::string realPath(const std::string& path) {
  char buf[PATH_MAX];
  return ::realpath(path.c_str(), buf) ? std::string(buf) : std::string();
}

// PATH-wal, PATH-shm, PATH-journal of a database, refused without opening
// them (closing a descriptor of a workspace's -shm would drop our locks).
void refuseDatabaseCompanion(const std::string& path, const std::string& shown) {
  for (const std::string suffix : {"-wal", "-shm", "-journal"}) {
    if (path.size() <= suffix.size() || path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const std::string base = path.substr(0, path.size() - suffix.size());
    switch (pathKind(base)) {
      case PathKind::OpenWorkspace:
      case PathKind::Workspace: refuse(ErrorKind::Io, shown, "belongs to the Skema workspace " + base + "; not overwriting it");
      case PathKind::SqliteFile: refuse(ErrorKind::Io, shown, "belongs to the SQLite database " + base + "; not overwriting it");
      default: break;
    }
  }
}

// Whether `path` may be written; returns what it is (Missing, Special, or
// RegularFile when replacing is allowed), else throws OutputError.
PathKind judge(const std::string& path, const std::string& shown, const OutputOptions& o) {
  refuseDatabaseCompanion(path, shown);
  if (const std::string real = realPath(path); !real.empty()) refuseDatabaseCompanion(real, shown);
  const PathKind kind = pathKind(path);
  switch (kind) {
    case PathKind::OpenWorkspace:
    case PathKind::Workspace: refuse(ErrorKind::Io, shown, "is a Skema workspace; not overwriting it");
    case PathKind::SqliteFile: refuse(ErrorKind::Io, shown, "is an SQLite database; not overwriting it");
    case PathKind::Directory: refuse(ErrorKind::Io, shown, "is a folder");
    case PathKind::Missing: return kind;
    default: break;
  }
  struct stat st;  // an input is a file (/dev/null may be read and written at once)
  if (kind == PathKind::RegularFile && ::stat(path.c_str(), &st) == 0)
    for (const auto& [input, what] : o.inputs) {
      struct stat in;
      if (::stat(input.c_str(), &in) == 0 && in.st_dev == st.st_dev && in.st_ino == st.st_ino)
        refuse(ErrorKind::Io, shown, "is " + what + "; not overwriting it");
    }
  if (kind == PathKind::RegularFile && !o.replace) refuse(ErrorKind::Exists, shown, "exists; use --force to replace it");
  return kind;
}

// The descriptor a path names when it is one of ours (/dev/stdout,
// /dev/stderr, /dev/fd/N, /proc/self/fd/N), else -1.
int descriptorNamed(const std::string& path) {
  if (path == "/dev/stdout") return 1;
  if (path == "/dev/stderr") return 2;
  for (const std::string prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (path.rfind(prefix, 0) != 0 || path.size() == prefix.size() || path.size() > prefix.size() + 6) continue;
    const std::string n = path.substr(prefix.size());
    if (n.find_first_not_of("0123456789") == std::string::npos) return std::stoi(n);
  }
  return -1;
}

}  // namespace

OutputFile::OutputFile(std::string path, const OutputOptions& o)
    : m_path(std::move(path)), m_replace(o.replace), m_options(o) {
  if (m_path.empty()) throw OutputError(ErrorKind::Io, "no output file named");
  if (const int fd = descriptorNamed(m_path); fd >= 0) {
    // Already open (`--out /dev/stdout > file`: the shell opened the file):
    // written through that descriptor, at its offset, whatever it is but a
    // workspace, a database or an input.
    OutputOptions opened = o;
    opened.replace = true;
    judge(m_path, m_path, opened);
    m_fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (m_fd < 0) refuse(ErrorKind::Io, m_path, std::strerror(errno));
    m_direct = true;
    return;
  }
  const PathKind kind = judge(m_path, m_path, o);
  if (kind == PathKind::Special) {
    // Written in place: renaming over /dev/null would replace the device.
    m_fd = ::open(m_path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (m_fd < 0) refuse(ErrorKind::Io, m_path, std::strerror(errno));
    struct stat st;
    if (::fstat(m_fd, &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
      ::close(m_fd);  // replaced by a file meanwhile: never write into it without the checks
      m_fd = -1;
      refuse(ErrorKind::Io, m_path, "changed while it was being opened");
    }
    m_direct = true;
    return;
  }
  m_target = m_path;
  if (kind == PathKind::RegularFile)
    if (std::string real = realPath(m_path); !real.empty()) m_target = real;  // replace the file a symlink names
  m_part = m_target + ".part";
  const mode_t mode = o.privateFile ? 0600 : 0666;  // less the umask
  for (int attempt = 0;; ++attempt) {
    // O_EXCL: never opens (let alone truncates) a file that is already there.
    m_fd = ::open(m_part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (m_fd >= 0) break;
    const int e = errno;
    if (e == EEXIST && attempt == 0 && o.replace && judge(m_part, m_part, o) == PathKind::RegularFile &&
        ::unlink(m_part.c_str()) == 0)
      continue;  // a .part left by an interrupted export
    const std::string part = m_part;
    m_part.clear();  // not ours: the destructor must not remove it
    if (e == EEXIST)
      refuse(ErrorKind::Exists, part, "exists (an export still running, or one that was interrupted); remove it or use --force");
    refuse(ErrorKind::Io, m_path, "cannot create " + part + ": " + std::strerror(e));
  }
}

OutputFile::~OutputFile() {
  closeFile();
  if (!m_committed && !m_part.empty()) ::unlink(m_part.c_str());
}

void OutputFile::closeFile() {
  if (m_stream) std::fclose(m_stream);
  else if (m_fd >= 0) ::close(m_fd);
  m_stream = nullptr;
  m_fd = -1;
}

std::FILE* OutputFile::stream(std::size_t bufferBytes) {
  if (!m_stream) {
    if (m_fd < 0) refuse(ErrorKind::Io, m_path, "already closed");
    m_stream = ::fdopen(m_fd, "wb");
    if (!m_stream) refuse(ErrorKind::Io, m_path, std::strerror(errno));
    if (bufferBytes > 0) {
      m_buffer = std::make_unique<char[]>(bufferBytes);
      std::setvbuf(m_stream, m_buffer.get(), _IOFBF, bufferBytes);
    }
  }
  return m_stream;
}

std::string OutputFile::reopenName() const {
  std::error_code ec;
  if (m_fd >= 0 && std::filesystem::exists("/proc/self/fd", ec)) return "/proc/self/fd/" + std::to_string(m_fd);
  return m_direct ? m_path : m_part;
}

void OutputFile::commit() {
  if (m_committed) return;
  auto fail = [&](const std::string& what, int e) {
    closeFile();
    refuse(ErrorKind::Io, m_path, what + ": " + std::strerror(e));
  };
  if (m_stream && std::fflush(m_stream) != 0) fail("cannot write", errno);
  if (!m_direct && ::fsync(m_fd) != 0) fail("cannot write", errno);
  const int rc = m_stream ? std::fclose(m_stream) : ::close(m_fd);
  const int closeErr = errno;
  m_stream = nullptr;
  m_fd = -1;
  if (rc != 0) fail("cannot write", closeErr);
  if (m_direct) {
    m_committed = true;
    return;
  }
  const std::string exists = "exists; use --force to replace it";
  if (m_replace) {
    judge(m_target, m_path, m_options);  // a workspace put there meanwhile is still refused
    if (std::rename(m_part.c_str(), m_target.c_str()) != 0) fail("cannot rename " + m_part, errno);
  } else if (::renameat2(AT_FDCWD, m_part.c_str(), AT_FDCWD, m_target.c_str(), RENAME_NOREPLACE) != 0) {
    int e = errno;
    if (e == EEXIST) refuse(ErrorKind::Exists, m_path, exists);  // appeared while we wrote
    if (e != EINVAL && e != ENOSYS && e != ENOTSUP) fail("cannot rename " + m_part, e);
    // No RENAME_NOREPLACE on this file system: link() never replaces either.
    if (::link(m_part.c_str(), m_target.c_str()) == 0) {
      ::unlink(m_part.c_str());
    } else {
      e = errno;
      if (e == EEXIST) refuse(ErrorKind::Exists, m_path, exists);
      if (e != EPERM && e != ENOTSUP && e != ENOSYS) fail("cannot rename " + m_part, e);
      // Nor links (e.g. FAT): the narrowest check we have.
      if (pathKind(m_target) != PathKind::Missing) refuse(ErrorKind::Exists, m_path, exists);
      if (std::rename(m_part.c_str(), m_target.c_str()) != 0) fail("cannot rename " + m_part, errno);
    }
  }
  m_committed = true;
  // The rename itself survives a crash once its folder is synced.
  std::string dir = std::filesystem::path(m_target).parent_path().string();
  if (dir.empty()) dir = ".";
  if (int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
    ::fsync(d);
    ::close(d);
  }
}

}  // namespace skema::store
