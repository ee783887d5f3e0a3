#include "plugin/plugin_loader.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <limits>
#include <system_error>

namespace fs = std::filesystem;

namespace skema::plugin {

struct PluginLoader::Loaded {
  void* handle = nullptr;
  skema_plugin_info info{};
  PluginStatus status;
  skema_host host;
  skema_host_api api{};
};

std::string abiText(uint32_t packed) {
  return std::to_string(SKEMA_PLUGIN_ABI_GET_MAJOR(packed)) + "." +
         std::to_string(SKEMA_PLUGIN_ABI_GET_MINOR(packed));
}

std::string PluginStatus::line() const {
  if (loaded)
    return "loaded  " + id + "  " + (version.empty() ? "-" : version) + "  ABI " + abiText(abi) +
           "  " + path;
  return "refused " + file + ": " + reason;
}

namespace {

// Plugin ids name owners, settings keys and folders: keep them plain.
bool validId(const char* id) {
  if (!id || !*id) return false;
  size_t n = std::strlen(id);
  if (n > 64) return false;
  for (size_t i = 0; i < n; ++i) {
    char c = id[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string str(const char* s) { return s ? s : ""; }

std::string dlErrorText() {
  const char* e = dlerror();
  return e ? e : "unknown error";
}

// ---- The ELF check before dlopen ---------------------------------------------
// dlopen maps a library's segments from the file: a segment the file is too
// short for (a half-finished copy) is mapped all the same and the first
// touch of it kills the process with SIGBUS inside dlopen. So the headers
// are read and checked against the file's size first.

// "86,016"
std::string grouped(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// off + len, saturating (the fields come from an untrusted file).
uint64_t endOf(uint64_t off, uint64_t len) {
  return off > std::numeric_limits<uint64_t>::max() - len ? std::numeric_limits<uint64_t>::max() : off + len;
}

// The running program's own ELF header: a plugin must have its class, byte
// order and machine. Without /proc the class and byte order are the
// compiler's and the machine is not checked (dlopen still refuses a wrong one).
const ElfW(Ehdr)& hostElfHeader() {
  static const ElfW(Ehdr) host = [] {
    ElfW(Ehdr) h{};
    int fd = ::open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      if (::pread(fd, &h, sizeof h, 0) != ssize_t(sizeof h)) h = {};
      ::close(fd);
    }
    if (std::memcmp(h.e_ident, ELFMAG, SELFMAG) != 0) {
      h = {};
      h.e_ident[EI_CLASS] = sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32;
      h.e_ident[EI_DATA] = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB;
      h.e_machine = EM_NONE;
    }
    return h;
  }();
  return host;
}

std::string machineName(unsigned m) {
  switch (m) {
    case EM_X86_64: return "x86-64";
    case EM_386: return "x86 (32-bit)";
    case EM_AARCH64: return "ARM64";
    case EM_ARM: return "ARM (32-bit)";
    case EM_RISCV: return "RISC-V";
    case EM_PPC64: return "PowerPC64";
    case EM_S390: return "s390x";
    default: return "ELF machine " + std::to_string(m);
  }
}

// Why the file at `path` cannot be handed to dlopen, or "" when it can.
// Reads it through a descriptor of its own (a plugin is never a database).
std::string checkElfFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);  // a FIFO must not block
  if (fd < 0) return std::string("not a Skema plugin: cannot open it: ") + std::strerror(errno);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat sb {};
  if (::fstat(fd, &sb) != 0) return std::string("not a Skema plugin: cannot read it: ") + std::strerror(errno);
  if (!S_ISREG(sb.st_mode)) return "not a Skema plugin: not a regular file";
  const uint64_t size = uint64_t(sb.st_size);
  auto incomplete = [&](const char* part, uint64_t need) {
    return "not a complete plugin: the file ends at " + grouped(size) + " bytes but its " + part + " " +
           grouped(need) + " (a partial copy?)";
  };
  // pread until `len` bytes or the end of the file; how many were read, -1 on error.
  auto readAt = [&](void* buf, size_t len, uint64_t off) -> ssize_t {
    size_t got = 0;
    while (got < len) {
      ssize_t n = ::pread(fd, static_cast<char*>(buf) + got, len - got, off_t(off + got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return -1;
      if (n == 0) break;
      got += size_t(n);
    }
    return ssize_t(got);
  };
  const std::string unreadable = "not a Skema plugin: cannot read it: ";

  ElfW(Ehdr) eh{};
  ssize_t got = readAt(&eh, sizeof eh, 0);
  if (got < 0) return unreadable + std::strerror(errno);
  if (std::memcmp(eh.e_ident, ELFMAG, std::min<size_t>(size_t(got), SELFMAG)) != 0)
    return "not a Skema plugin: not an ELF shared library";
  if (size_t(got) < sizeof eh) return incomplete("ELF header needs", sizeof eh);

  const ElfW(Ehdr)& host = hostElfHeader();
  auto bits = [](unsigned char c) {
    return c == ELFCLASS64 ? "64-bit" : c == ELFCLASS32 ? "32-bit" : "unknown-width";
  };
  if (eh.e_ident[EI_CLASS] != host.e_ident[EI_CLASS])
    return std::string("not a Skema plugin: a ") + bits(eh.e_ident[EI_CLASS]) + " library; this Skema is " +
           bits(host.e_ident[EI_CLASS]);
  if (eh.e_ident[EI_DATA] != host.e_ident[EI_DATA])
    return "not a Skema plugin: built for the other byte order";
  if (eh.e_ident[EI_VERSION] != EV_CURRENT || eh.e_version != EV_CURRENT)
    return "not a Skema plugin: unknown ELF version " + std::to_string(eh.e_version);
  if (eh.e_type != ET_DYN) {
    const std::string kind = eh.e_type == ET_EXEC  ? "a program"
                             : eh.e_type == ET_REL ? "an object file"
                                                   : "ELF type " + std::to_string(eh.e_type);
    return "not a Skema plugin: not a shared library (" + kind + ")";
  }
  if (host.e_machine != EM_NONE && eh.e_machine != host.e_machine)
    return "not a Skema plugin: built for " + machineName(eh.e_machine) + "; this Skema runs on " +
           machineName(host.e_machine);

  if (eh.e_phnum == 0 || eh.e_phentsize != sizeof(ElfW(Phdr)))
    return "not a Skema plugin: no usable program headers";
  const uint64_t phEnd = endOf(eh.e_phoff, uint64_t(eh.e_phnum) * sizeof(ElfW(Phdr)));
  if (phEnd > size) return incomplete("program headers need", phEnd);
  std::vector<ElfW(Phdr)> ph(eh.e_phnum);
  const size_t phBytes = ph.size() * sizeof(ElfW(Phdr));
  got = readAt(ph.data(), phBytes, eh.e_phoff);
  if (got < 0) return unreadable + std::strerror(errno);
  if (size_t(got) < phBytes) return incomplete("program headers need", phEnd);  // shrank meanwhile
  uint64_t loadEnd = 0;
  for (const auto& p : ph)
    if (p.p_type == PT_LOAD) loadEnd = std::max(loadEnd, endOf(p.p_offset, p.p_filesz));
  if (loadEnd > size) return incomplete("segments need", loadEnd);

  // The section headers (dlopen does not read them, but a copy that lacks
  // them lacks its end: it is partial all the same). e_shnum 0 with an
  // offset: the count is in the first header, which must be there.
  if (eh.e_shoff != 0) {
    if (eh.e_shentsize != sizeof(ElfW(Shdr))) return "not a Skema plugin: unexpected section header size";
    const uint64_t shEnd = endOf(eh.e_shoff, uint64_t(std::max<unsigned>(eh.e_shnum, 1)) * sizeof(ElfW(Shdr)));
    if (shEnd > size) return incomplete("section headers need", shEnd);
  }
  return {};
}

// ---- A plugin that calls exit() while it loads --------------------------------
// Its static constructors (run by dlopen), its entry function or its init may
// call exit(); the host cannot stop that, but it must not end without a
// word. While a file loads this names it; the on_exit handler says which
// plugin ended the program, and with which status.
struct LoadingPlugin {
  std::string file;
  const LogFn* log = nullptr;
};
std::atomic<const LoadingPlugin*> g_loading{nullptr};

void reportExitWhileLoading(int status, void*) {
  const LoadingPlugin* p = g_loading.exchange(nullptr);
  if (!p) return;
  const std::string message = "plugin " + p->file +
                              " ended the program while loading (its initialiser called exit(" +
                              std::to_string(status) + "))";
  const std::string line = "skema: " + message + "\n";
  [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
  if (p->log && *p->log) {
    try {
      (*p->log)(SKEMA_LOG_ERROR, "", message);
    } catch (...) {
    }
  }
}

// Sets the marker for one loadFile; the handler is registered on first use.
class LoadingGuard {
 public:
  LoadingGuard(std::string file, const LogFn& log) : m_state{std::move(file), &log} {
    static const bool registered = ::on_exit(reportExitWhileLoading, nullptr) == 0;
    (void)registered;
    g_loading.store(&m_state);
  }
  ~LoadingGuard() { g_loading.store(nullptr); }
  LoadingGuard(const LoadingGuard&) = delete;
  LoadingGuard& operator=(const LoadingGuard&) = delete;

 private:
  LoadingPlugin m_state;
};

}  // namespace

PluginLoader::PluginLoader(PluginRegistry& registry, LoaderOptions options)
    : m_registry(registry), m_options(std::move(options)) {}

PluginLoader::~PluginLoader() { unloadAll(); }

void PluginLoader::addLog(int level, const std::string& plugin, const std::string& message) {
  m_log.push_back(LogLine{level, plugin, message});
  if (m_options.log) {
    try {
      m_options.log(level, plugin, message);
    } catch (...) {
    }
  }
}

PluginStatus PluginLoader::refuse(PluginStatus st, std::string reason) {
  st.loaded = false;
  st.reason = std::move(reason);
  addLog(SKEMA_LOG_WARNING, st.id, "refused " + st.path + ": " + st.reason);
  m_statuses.push_back(st);
  return st;
}

PluginStatus PluginLoader::loadFile(const std::string& path) {
  PluginStatus st;
  st.path = path;
  st.file = fs::path(path).filename().string();

  // 1. Is it a plugin at all? The file is checked before dlopen; nothing of
  //    the plugin runs but its static constructors (unavoidable with dlopen)
  //    and the entry function.
  if (std::string bad = checkElfFile(path); !bad.empty()) return refuse(st, bad);
  LoadingGuard loading(path, m_options.log);
  dlerror();
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) return refuse(st, "not a Skema plugin: " + dlErrorText());
  auto closeAndRefuse = [&](std::string reason) {
    dlclose(handle);
    return refuse(st, std::move(reason));
  };
  dlerror();
  void* sym = dlsym(handle, SKEMA_PLUGIN_ENTRY_NAME);
  if (!sym) return closeAndRefuse("not a Skema plugin: no " SKEMA_PLUGIN_ENTRY_NAME " symbol");
  auto entry = reinterpret_cast<skema_plugin_entry_fn>(sym);
  const skema_plugin_info* desc = nullptr;
  try {
    desc = entry(SKEMA_PLUGIN_ABI_VERSION);
  } catch (const std::exception& e) {
    return closeAndRefuse(std::string("entry point threw: ") + e.what());
  } catch (...) {
    return closeAndRefuse("entry point threw an unknown exception");
  }
  if (!desc) return closeAndRefuse("entry point returned no descriptor");

  // 2. Size and ABI version, read field by field before trusting the layout.
  uint32_t size = 0, abi = 0;
  std::memcpy(&size, desc, sizeof size);
  const size_t kHeader = offsetof(skema_plugin_info, abi_version) + sizeof(uint32_t);
  if (size < kHeader)
    return closeAndRefuse("descriptor too small (" + std::to_string(size) + " bytes; ABI " +
                          abiText(SKEMA_PLUGIN_ABI_VERSION) + " needs at least " +
                          std::to_string(SKEMA_PLUGIN_INFO_MIN_SIZE) + ")");
  std::memcpy(&abi, reinterpret_cast<const char*>(desc) + offsetof(skema_plugin_info, abi_version),
              sizeof abi);
  st.abi = abi;
  const std::string hostAbi = abiText(SKEMA_PLUGIN_ABI_VERSION);
  if (SKEMA_PLUGIN_ABI_GET_MAJOR(abi) != SKEMA_PLUGIN_ABI_MAJOR)
    return closeAndRefuse("built for plugin ABI " + abiText(abi) + "; this Skema has ABI " + hostAbi);
  if (SKEMA_PLUGIN_ABI_GET_MINOR(abi) > SKEMA_PLUGIN_ABI_MINOR)
    return closeAndRefuse("built for plugin ABI " + abiText(abi) + ", newer than this Skema's ABI " +
                          hostAbi);
  if (size < SKEMA_PLUGIN_INFO_MIN_SIZE)
    return closeAndRefuse("descriptor too small (" + std::to_string(size) + " bytes; ABI " + hostAbi +
                          " needs at least " + std::to_string(SKEMA_PLUGIN_INFO_MIN_SIZE) + ")");

  // 3. The descriptor, copied into a zeroed struct (newer fields read as 0).
  skema_plugin_info info;
  copySized(desc, size, SKEMA_PLUGIN_INFO_MIN_SIZE, info);
  if (!validId(info.id))
    return closeAndRefuse("invalid plugin id '" + str(info.id) +
                          "' (use lower-case letters, digits, '_' and '-')");
  st.id = info.id;
  st.name = info.name && *info.name ? info.name : info.id;
  st.version = str(info.version);
  st.description = str(info.description);
  if (!info.init) return closeAndRefuse("descriptor has no init function");
  for (const auto& l : m_loaded)
    if (l->status.id == st.id)
      return closeAndRefuse("duplicate plugin id '" + st.id + "' (already loaded from " +
                            l->status.path + ")");

  // 4. Init, guarded: an error or a throw unloads the plugin again.
  auto p = std::make_unique<Loaded>();
  p->handle = handle;
  p->info = info;
  p->host.pluginId = st.id;
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  p->host.pluginDir = (ec ? fs::path(path) : abs).parent_path().string();
  p->host.registry = &m_registry;
  p->host.translate = m_options.translate;
  p->host.choices = m_options.choices;
  p->host.language = m_options.language;
  p->host.log = [this](int level, const std::string& plugin, const std::string& msg) {
    addLog(level, plugin, msg);
  };
  p->api = makeHostApi(&p->host);
  p->host.api = &p->api;

  char error[512] = {0};
  std::string failure;
  try {
    int rc = info.init(&p->api, error, sizeof error);
    if (rc != SKEMA_OK) {
      error[sizeof error - 1] = 0;
      failure = "init failed: " + (error[0] ? std::string(error) : "error " + std::to_string(rc));
    }
  } catch (const std::exception& e) {
    failure = std::string("init threw: ") + e.what();
  } catch (...) {
    failure = "init threw an unknown exception";
  }
  if (!failure.empty()) {
    p->host.closing = true;
    m_registry.removeOwner(st.id);
    p.reset();
    return closeAndRefuse(failure);
  }

  st.loaded = true;
  p->status = st;
  m_loaded.push_back(std::move(p));
  m_statuses.push_back(st);
  addLog(SKEMA_LOG_INFO, st.id, "loaded " + st.path + " (version " + st.version + ", ABI " +
                                    abiText(abi) + ")");
  return st;
}

int PluginLoader::loadDirectory(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return 0;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code fec;
    if (it->path().extension() == ".so" && it->is_regular_file(fec)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  int n = 0;
  for (const auto& f : files) n += loadFile(f.string()).loaded;
  return n;
}

int PluginLoader::loadAll(const std::vector<std::string>& dirs) {
  int n = 0;
  for (const auto& d : dirs) {
    std::error_code ec;
    std::string key = fs::weakly_canonical(d, ec).string();
    if (ec) key = d;
    if (std::find(m_seenDirs.begin(), m_seenDirs.end(), key) != m_seenDirs.end()) continue;
    m_seenDirs.push_back(key);
    n += loadDirectory(d);
  }
  return n;
}

bool PluginLoader::unload(const std::string& id) {
  auto it = std::find_if(m_loaded.begin(), m_loaded.end(),
                         [&](const auto& l) { return l->status.id == id; });
  if (it == m_loaded.end()) return false;
  std::unique_ptr<Loaded> p = std::move(*it);
  m_loaded.erase(it);
  // Registrations first: nothing may call into the plugin once it is gone.
  p->host.closing = true;
  m_registry.removeOwner(id);
  if (p->info.shutdown) {
    try {
      p->info.shutdown();
    } catch (const std::exception& e) {
      addLog(SKEMA_LOG_ERROR, id, std::string("shutdown threw: ") + e.what());
    } catch (...) {
      addLog(SKEMA_LOG_ERROR, id, "shutdown threw an unknown exception");
    }
  }
  void* handle = p->handle;
  std::string path = p->status.path;
  p.reset();
  dlclose(handle);
  std::erase_if(m_statuses, [&](const PluginStatus& s) { return s.loaded && s.id == id; });
  addLog(SKEMA_LOG_INFO, id, "unloaded " + path);
  return true;
}

void PluginLoader::unloadAll() {
  while (!m_loaded.empty()) unload(m_loaded.back()->status.id);
}

void PluginLoader::setLanguage(const std::string& language) {
  m_options.language = language;
  for (auto& l : m_loaded) l->host.language = language;
}

bool PluginLoader::isLoaded(const std::string& id) const {
  return std::any_of(m_loaded.begin(), m_loaded.end(),
                     [&](const auto& l) { return l->status.id == id; });
}

std::vector<std::string> PluginLoader::searchPath(const std::string& exeDir, const char* env) {
  std::vector<std::string> out;
  if (!exeDir.empty()) {
    out.push_back((fs::path(exeDir) / "plugins").string());
    out.push_back((fs::path(exeDir) / ".." / "lib" / "skema" / "plugins").lexically_normal().string());
  }
  if (env) {
    std::string s = env;
    size_t start = 0;
    while (start <= s.size()) {
      size_t colon = s.find(':', start);
      if (colon == std::string::npos) colon = s.size();
      if (colon > start) out.push_back(s.substr(start, colon - start));
      start = colon + 1;
    }
  }
  return out;
}

std::vector<std::string> PluginLoader::defaultSearchPath() {
  return searchPath(executableDir(), std::getenv("SKEMA_PLUGIN_PATH"));
}

std::string PluginLoader::executableDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return exe.parent_path().string();
}

}  // namespace skema::plugin
