// Which workspace files this process holds open, by device and inode.
//
// Closing *any* descriptor of an SQLite file drops every POSIX lock the
// process holds on it (SQLite's "How To Corrupt An SQLite Database File",
// 2.2), after which another program may delete the WAL under our feet. So
// code that is about to open a file for reading or writing (an export
// target, an import source, a header check) asks here first, and never
// opens a file that an SQLite connection of this process has open.
#pragma once
#include <string>

namespace skema::store {

// Held by SqliteStore for as long as its connection may be open (counted: a
// process may hold several connections on one file). Marks the file by
// inode, so a later rename of the file does not lose the mark.
class OpenWorkspaceMark {
 public:
  OpenWorkspaceMark() = default;
  explicit OpenWorkspaceMark(const std::string& path);  // no mark if path is missing
  ~OpenWorkspaceMark();
  OpenWorkspaceMark(const OpenWorkspaceMark&) = delete;
  OpenWorkspaceMark& operator=(const OpenWorkspaceMark&) = delete;

 private:
  bool m_marked = false;
  unsigned long long m_dev = 0, m_ino = 0;
};
// Whether `path` (through symlinks, `./`, hard links) is a file that this
// process holds open as a workspace. A missing path is not.
bool isOpenWorkspace(const std::string& path);

// What a path holds, judged without disturbing a connection of this
// process: an open workspace is recognised by inode alone; any other file
// is read through a fresh descriptor (safe: no connection of ours holds it).
enum class PathKind {
  Missing,
  OpenWorkspace,   // held open by this process
  Workspace,       // an SQLite file whose application_id is Skema's
  SqliteFile,      // an SQLite file of another program
  RegularFile,     // any other regular file
  Directory,
  Special,         // a device, FIFO or socket (written to directly, never renamed over)
};
PathKind pathKind(const std::string& path);

}  // namespace skema::store
