// features_runner: runs the C++ implementations of the Temporal features suite.
//
//   features_runner [--server host:port] [--namespace ns] [--tls-cert f --tls-key f] [--tls-ca f]
//                   [--tls-server-name name] [--filter pattern]... [-j N] [--record-histories DIR]
//
// Without --server it starts a dev server. Each scenario gets its own task queue and worker and
// its timeout; after a pass, the histories of the runs it closed are replayed against the same
// code (and written to DIR/<area>/<name>/history*.json with --record-histories). One line per
// scenario of the official suite (PASS, FAIL with the reason, SKIP with the feature it waits for,
// N/A with why), then the summary line. Exit status 1 if any scenario failed.
#include <arpa/inet.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "harness/harness.h"
#include "temporal/client/operator_client.h"
#include "temporal/testing/dev_server.h"

extern char** environ;

namespace fs = std::filesystem;
using namespace temporal;
using namespace temporal::features;

namespace {

struct Config {
  std::string server;
  std::string namespace_name = "default";
  std::string tls_cert, tls_key, tls_ca, tls_server_name;
  std::vector<std::string> filters;
  int jobs = 4;
  std::string record_dir;
};

[[noreturn]] void usage(const std::string& error) {
  std::cerr << "features_runner: " << error << "\n"
            << "usage: features_runner [--server host:port] [--namespace ns] [--tls-cert file --tls-key file]\n"
            << "         [--tls-ca file] [--tls-server-name name] [--filter pattern]... [-j N]\n"
            << "         [--record-histories DIR]\n";
  std::exit(2);
}

Config parse(int argc, char** argv) {
  Config c;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--server") c.server = value();
    else if (a == "--namespace") c.namespace_name = value();
    else if (a == "--tls-cert") c.tls_cert = value();
    else if (a == "--tls-key") c.tls_key = value();
    else if (a == "--tls-ca") c.tls_ca = value();
    else if (a == "--tls-server-name") c.tls_server_name = value();
    else if (a == "--filter") c.filters.push_back(value());
    else if (a == "-j" || a == "--jobs") {
      try {
        c.jobs = std::stoi(value());
      } catch (const std::exception&) {
        usage("-j needs a number");
      }
      if (c.jobs < 1) usage("-j must be at least 1");
    } else if (a == "--record-histories") c.record_dir = value();
    else if (a == "-h" || a == "--help") usage("help");
    else usage("unknown argument '" + a + "'");
  }
  if (c.tls_cert.empty() != c.tls_key.empty()) usage("--tls-cert and --tls-key go together");
  return c;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) usage("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool matches(const Config& c, const std::string& dir) {
  if (c.filters.empty()) return true;
  for (const auto& f : c.filters) {
    if (dir == f || dir.rfind(f + "/", 0) == 0 || fnmatch(f.c_str(), dir.c_str(), 0) == 0) return true;
  }
  return false;
}

// A free loopback port: bind port 0 and read back what the kernel chose.
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  socklen_t len = sizeof(a);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return static_cast<int>(ntohs(a.sin_port));
}

bool port_open(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  ::close(fd);
  return ok;
}

// ------------------------------------------------------------------------------------------------
// HTTP CONNECT proxies (tinyproxy), for client/http_proxy*

struct Proxy {
  pid_t pid = -1;
  std::string log;
  ~Proxy() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

std::string find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream ss(path ? path : "/usr/bin:/usr/sbin");
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    fs::path p = fs::path(dir) / name;
    if (::access(p.c_str(), X_OK) == 0) return p.string();
  }
  for (const char* d : {"/usr/bin", "/usr/sbin"}) {
    fs::path p = fs::path(d) / name;
    if (::access(p.c_str(), X_OK) == 0) return p.string();
  }
  return {};
}

// Starts tinyproxy on a free loopback port; ProxyInfo counts the tunnels it established.
std::optional<ProxyInfo> start_proxy(const std::string& tinyproxy, const fs::path& dir, const std::string& user,
                                     const std::string& password, std::vector<std::unique_ptr<Proxy>>& keep) {
  if (tinyproxy.empty()) return std::nullopt;
  const int port = free_port();
  const std::string name = user.empty() ? "proxy" : "auth-proxy";
  const fs::path conf = dir / (name + ".conf");
  auto proxy = std::make_unique<Proxy>();
  proxy->log = (dir / (name + ".log")).string();
  {
    std::ofstream out(conf);
    out << "Port " << port << "\nListen 127.0.0.1\nTimeout 600\nMaxClients 200\nAllow 127.0.0.1\n"
        << "LogLevel Info\nLogFile \"" << proxy->log << "\"\n";
    if (!user.empty()) out << "BasicAuth " << user << " " << password << "\n";
  }
  std::vector<std::string> args = {tinyproxy, "-d", "-c", conf.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  int rc = posix_spawn(&proxy->pid, tinyproxy.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return std::nullopt;
  for (int i = 0; i < 100 && !port_open(port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (!port_open(port)) return std::nullopt;
  ProxyInfo info;
  info.address = "127.0.0.1:" + std::to_string(port);
  info.user = user;
  info.password = password;
  info.tunnels_opened = [log = proxy->log] {
    std::ifstream in(log);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) n += line.find("Established connection to host") != std::string::npos ? 1 : 0;
    return n;
  };
  keep.push_back(std::move(proxy));
  return info;
}

// ------------------------------------------------------------------------------------------------
// Running one scenario

struct Outcome {
  enum Kind { kPass, kFail, kSkip } kind = kPass;
  std::string message;
  double seconds = 0;
  int histories = 0;
};

std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  if (s.size() > 600) s = s.substr(0, 600) + "...";
  return s;
}

// Replays every closed run of the scenario's task queue against its code; writes them under
// record_dir when asked. Returns how many histories it replayed.
int check_histories(Context& ctx, const Scenario& s, const std::string& record_dir) {
  const std::string query = "TaskQueue = '" + ctx.task_queue() + "'";
  std::vector<client::WorkflowExecutionInfo> runs;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    runs.clear();
    bool open = false;
    for (const auto& r : ctx.client().workflow().list(query)) {
      runs.push_back(r);
      open = open || r.status == client::WorkflowExecutionStatus::kRunning;
    }
    if (!open || std::chrono::steady_clock::now() >= until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) {
    return std::tie(a.start_time, a.workflow_id, a.run_id) < std::tie(b.start_time, b.workflow_id, b.run_id);
  });
  worker::ReplayerOptions ro;
  ro.data_converter = s.data_converter;
  ro.namespace_name = ctx.namespace_name();
  worker::Replayer replayer(ro);
  Registrar reg(replayer);
  if (s.registration) s.registration(reg);
  std::vector<std::string> jsons;
  for (const auto& r : runs) {
    if (r.status == client::WorkflowExecutionStatus::kRunning) continue;
    auto h = ctx.client().workflow().get_handle(r.workflow_id, r.run_id).fetch_history().get();
    std::string json = h.to_json();
    try {
      replayer.replay_json(json);
    } catch (const std::exception& e) {
      throw CheckFailed("replaying the history of " + r.workflow_id + " (run " + r.run_id + ") failed: " + e.what());
    }
    jsons.push_back(std::move(json));
  }
  if (!record_dir.empty() && !jsons.empty()) {
    fs::path dir = fs::path(record_dir) / s.dir;
    fs::create_directories(dir);
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string n = e.path().filename().string();
      if (n.rfind("history", 0) == 0 && e.path().extension() == ".json") fs::remove(e.path());
    }
    for (size_t i = 0; i < jsons.size(); ++i) {
      std::string name = jsons.size() == 1 ? "history.json" : "history-" + std::to_string(i + 1) + ".json";
      std::ofstream(dir / name) << jsons[i] << "\n";
    }
  }
  return static_cast<int>(jsons.size());
}

Outcome run_scenario(const Scenario& s, const Environment& env, const std::string& record_dir) {
  Outcome o;
  const auto start = std::chrono::steady_clock::now();
  auto work = std::make_shared<std::packaged_task<Outcome()>>([&s, &env, record_dir] {
    Outcome r;
    try {
      Context ctx(s, env, "features-" + s.dir + "-" + new_uuid());
      if (s.start_worker) ctx.start_worker();
      s.run(ctx);
      if (auto e = ctx.worker_error()) std::rethrow_exception(e);
      if (s.check_history) r.histories = check_histories(ctx, s, record_dir);
      ctx.stop_worker();
      if (auto e = ctx.worker_error()) std::rethrow_exception(e);
    } catch (const Skipped& e) {
      r.kind = Outcome::kSkip;
      r.message = e.what();
    } catch (const CheckFailed& e) {
      r.kind = Outcome::kFail;
      r.message = e.what();
    } catch (const std::exception& e) {
      r.kind = Outcome::kFail;
      r.message = std::string("error: ") + e.what();
    } catch (...) {
      r.kind = Outcome::kFail;
      r.message = "unknown error";
    }
    return r;
  });
  auto result = work->get_future();
  std::thread([work] { (*work)(); }).detach();
  if (result.wait_for(s.timeout) == std::future_status::timeout) {
    o.kind = Outcome::kFail;
    o.message = "timed out after " + std::to_string(s.timeout.count()) + " s";
    // The scenario's thread is left behind; the runner exits at the end without joining it.
    new std::future<Outcome>(std::move(result));
  } else {
    o = result.get();
  }
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!s.known_bug.empty()) {
    if (o.kind == Outcome::kFail) {
      o.kind = Outcome::kSkip;
      o.message = "known bug: " + s.known_bug + " (fails with: " + o.message + ")";
    } else if (o.kind == Outcome::kPass) {
      o.message = "passes although marked with a known bug; remove the note: " + s.known_bug;
    }
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Config config = parse(argc, argv);

  Environment env;
  std::unique_ptr<testing::DevServer> server;
  env.connection_options.namespace_name = config.namespace_name;
  if (config.server.empty()) {
    testing::DevServerOptions so;
    so.dynamic_config["system.enableActivityEagerExecution"] = "true";
    if (config.namespace_name != "default") so.namespaces.push_back(config.namespace_name);
    server = testing::DevServer::start(so);
    env.connection_options.address = server->address();
    std::cout << "features: started a dev server on " << server->address() << std::endl;
  } else {
    env.connection_options.address = config.server;
  }
  if (!config.tls_cert.empty() || !config.tls_ca.empty() || !config.tls_server_name.empty()) {
    client::TlsOptions tls;
    if (!config.tls_ca.empty()) tls.server_root_ca_cert = read_file(config.tls_ca);
    if (!config.tls_cert.empty()) {
      tls.client_cert = read_file(config.tls_cert);
      tls.client_private_key = read_file(config.tls_key);
    }
    tls.server_name_override = config.tls_server_name;
    env.connection_options.tls = tls;
  }
  try {
    env.connection = client::Connection::connect(env.connection_options);
  } catch (const std::exception& e) {
    std::cerr << "features: cannot connect to " << env.connection_options.address << ": " << e.what() << "\n";
    return 2;
  }

  // The search attributes the scenarios set (the dev server usually has them already).
  {
    client::Client c(env.connection);
    auto have = c.operator_service().list_search_attributes().get();
    std::map<std::string, SearchAttributeType> missing;
    const std::map<std::string, SearchAttributeType> wanted = {
        {"CustomKeywordField", SearchAttributeType::kKeyword}, {"CustomIntField", SearchAttributeType::kInt},
        {"CustomBoolField", SearchAttributeType::kBool},       {"CustomDatetimeField", SearchAttributeType::kDatetime},
        {"CustomDoubleField", SearchAttributeType::kDouble},   {"CustomTextField", SearchAttributeType::kText}};
    for (const auto& [k, t] : wanted) {
      if (!have.custom.count(k) && !have.system.count(k)) missing[k] = t;
    }
    if (!missing.empty()) c.operator_service().add_search_attributes(missing).get();
  }

  // Proxies for client/http_proxy*.
  const fs::path scratch = fs::temp_directory_path() / ("temporal-features-" + std::to_string(::getpid()));
  fs::create_directories(scratch);
  std::vector<std::unique_ptr<Proxy>> proxies;
  const std::string tinyproxy = find_program("tinyproxy");
  env.proxy = start_proxy(tinyproxy, scratch, "", "", proxies);
  env.auth_proxy = start_proxy(tinyproxy, scratch, "proxy-user", "proxy-pass", proxies);
  set_environment(&env);

  // One line per scenario of the official suite: the ones that do not run first, then results.
  int passed = 0, failed = 0, skipped = 0, not_built = 0, not_applicable = 0;
  std::vector<const CatalogEntry*> to_run;
  for (const auto& e : catalog()) {
    if (!matches(config, e.dir)) continue;
    if (e.status == Status::kImplemented) {
      to_run.push_back(&e);
    } else if (e.status == Status::kNotBuilt) {
      ++not_built;
      std::cout << "SKIP  " << e.dir << ": not built yet: " << e.reason << "\n";
    } else {
      ++not_applicable;
      std::cout << "N/A   " << e.dir << ": not applicable: " << e.reason << "\n";
    }
  }
  std::cout.flush();

  std::mutex out_mu;
  std::atomic<size_t> next{0};
  std::vector<std::string> failures;
  auto worker_loop = [&] {
    for (;;) {
      const size_t i = next++;
      if (i >= to_run.size()) return;
      const CatalogEntry& e = *to_run[i];
      Scenario s = e.make();
      Outcome o = run_scenario(s, env, config.record_dir);
      std::lock_guard lock(out_mu);
      char secs[32];
      std::snprintf(secs, sizeof(secs), "%.1f s", o.seconds);
      if (o.kind == Outcome::kPass) {
        ++passed;
        std::cout << "PASS  " << e.dir << " (" << secs;
        if (o.histories > 0) std::cout << ", " << o.histories << " replayed";
        std::cout << ")" << (o.message.empty() ? "" : ": " + o.message) << "\n";
      } else if (o.kind == Outcome::kSkip) {
        ++skipped;
        std::cout << "SKIP  " << e.dir << ": " << one_line(o.message) << "\n";
      } else {
        ++failed;
        failures.push_back(e.dir);
        std::cout << "FAIL  " << e.dir << " (" << secs << "): " << one_line(o.message) << "\n";
      }
      std::cout.flush();
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < config.jobs; ++i) threads.emplace_back(worker_loop);
  for (auto& t : threads) t.join();

  std::cout << "features: " << passed << " passed, " << failed << " failed, " << (skipped + not_built)
            << " skipped (" << not_built << " not built yet" << (skipped ? ", " + std::to_string(skipped) + " at run time" : "")
            << "), " << not_applicable << " not applicable";
  if (!failures.empty()) {
    std::cout << "; failed:";
    for (const auto& f : failures) std::cout << " " << f;
  }
  std::cout << std::endl;
  proxies.clear();
  std::error_code ec;
  fs::remove_all(scratch, ec);
  if (server) server->stop();
  // Scenario threads that timed out may still hold the worker's resources: leave without running
  // static destructors under them.
  std::_Exit(failed > 0 ? 1 : 0);
}
