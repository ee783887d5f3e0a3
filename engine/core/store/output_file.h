// Every file Skema writes for the user (exports in any format, the import's
// reject file, the workbench's export dialog) goes through OutputFile, so
// that no typo in a path can destroy data (docs/cli.md, "Output files"):
//
// - never a workspace (one this process holds open, or any SQLite file with
//   Skema's application_id, through symlinks, `./` and hard links), nor its
//   -wal / -shm / -journal, nor another program's SQLite database, nor a
//   folder, nor one of the command's own inputs (compared by inode);
// - an existing ordinary file only when `replace` (--force);
// - written to PATH.part (created with O_EXCL, in the final mode from the
//   start), fsynced and renamed into place when complete, never over a
//   file that appeared meanwhile unless `replace`; a failed or cancelled
//   write leaves nothing behind;
// - a device, FIFO or socket (/dev/null, a pipe) is written to directly: no
//   .part, no rename; /dev/stdout, /dev/stderr, /dev/fd/N through the
//   descriptor already open (whatever the shell opened, but the above).
//
// A refusal throws OutputError before anything is created or truncated.
#pragma once
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"

namespace skema::store {

struct OutputOptions {
  bool replace = false;      // an existing ordinary file may be replaced (--force)
  bool privateFile = false;  // mode 0600: the output holds sensitive fields
  // The command's own inputs besides open workspaces (refused anyway), each
  // with what it is: {"in.csv", "the file being imported"}.
  std::vector<std::pair<std::string, std::string>> inputs;
};

// kind() Exists: the target (or its .part) exists and `replace` was not
// given; Io: any other refusal or a failed write. The message names the path.
class OutputError : public StoreError {
 public:
  OutputError(ErrorKind kind, const std::string& message) : StoreError(kind, message) {}
};

class OutputFile {
 public:
  OutputFile(std::string path, const OutputOptions& o);  // throws OutputError
  ~OutputFile();  // unless committed: closes and removes the .part
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  const std::string& path() const { return m_path; }
  // A buffered stream on the file (owned; created on first use, with a
  // buffer of `bufferBytes` when given then).
  std::FILE* stream(std::size_t bufferBytes = 0);
  // A name that opens this very file (/proc/self/fd/N; the .part when /proc
  // is missing), for a library that wants a file name.
  std::string reopenName() const;
  bool direct() const { return m_direct; }  // a device or FIFO, written in place
  // Flushes, fsyncs and renames the .part into place. Throws OutputError
  // (the .part is then removed).
  void commit();

 private:
  void closeFile();
  std::string m_path;    // as given, for messages
  std::string m_target;  // where the file goes (symlinks resolved)
  std::string m_part;    // m_target + ".part" (empty when direct)
  bool m_replace = false, m_direct = false, m_committed = false;
  int m_fd = -1;
  std::FILE* m_stream = nullptr;
  std::unique_ptr<char[]> m_buffer;  // the stream's, when asked for
  OutputOptions m_options;
};

}  // namespace skema::store
