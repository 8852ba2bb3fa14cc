// Flag parsing, file reading and atomic writing, and workspace loading for the subcommands.
#include "cli/cli_support.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/json_format.hpp"

namespace pb::cli {
namespace {

const FlagSpec* find_spec(std::span<const FlagSpec> specs, std::string_view name) {
    for (const auto& spec : specs) {
        if (spec.name == name || (!spec.short_name.empty() && spec.short_name == name)) {
            return &spec;
        }
    }
    return nullptr;
}

}  // namespace

std::optional<std::string> ParsedArgs::value(std::string_view flag) const {
    for (auto it = values.rbegin(); it != values.rend(); ++it) {
        if (it->first == flag) return it->second;
    }
    return std::nullopt;
}

std::vector<std::string> ParsedArgs::all(std::string_view flag) const {
    std::vector<std::string> found;
    for (const auto& [name, text] : values) {
        if (name == flag) found.push_back(text);
    }
    return found;
}

bool ParsedArgs::has(std::string_view flag) const {
    for (const auto& name : switches) {
        if (name == flag) return true;
    }
    return value(flag).has_value();
}

ParsedArgs parse_args(const std::vector<std::string>& args, std::size_t first,
                      std::span<const FlagSpec> specs) {
    ParsedArgs parsed;
    bool flags_ended = false;
    for (std::size_t i = first; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (flags_ended || arg.size() < 2 || arg[0] != '-') {
            parsed.positional.push_back(arg);
            continue;
        }
        if (arg == "--") {
            flags_ended = true;
            continue;
        }
        if (arg == "--help" || arg == "-h") {
            parsed.help = true;
            continue;
        }
        std::string name = arg;
        std::optional<std::string> inline_value;
        if (auto equals = arg.find('='); arg.rfind("--", 0) == 0 && equals != std::string::npos) {
            name = arg.substr(0, equals);
            inline_value = arg.substr(equals + 1);
        }
        const FlagSpec* spec = find_spec(specs, name);
        if (!spec) {
            if (parsed.error.empty()) parsed.error = "unknown option " + name;
            continue;
        }
        std::string canonical(spec->name);
        if (!spec->repeatable && parsed.has(canonical)) {
            if (parsed.error.empty()) parsed.error = canonical + " is given more than once";
            continue;
        }
        if (!spec->takes_value) {
            if (inline_value && parsed.error.empty()) parsed.error = canonical + " takes no value";
            parsed.switches.push_back(canonical);
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= args.size()) {
                if (parsed.error.empty()) parsed.error = canonical + " needs a value";
                continue;
            }
            inline_value = args[++i];
        }
        parsed.values.emplace_back(canonical, *inline_value);
    }
    return parsed;
}

FileRead read_file(const std::string& path, std::uintmax_t max_bytes) {
    FileRead read;
    std::error_code code;
    auto status = std::filesystem::status(path, code);
    if (code || !std::filesystem::exists(status)) {
        read.error = "cannot read " + path + ": no such file";
        return read;
    }
    if (std::filesystem::is_directory(status)) {
        read.error = "cannot read " + path + ": it is a folder";
        return read;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        read.error = "cannot read " + path + ": " + std::strerror(errno);
        return read;
    }
    auto size = std::filesystem::file_size(path, code);
    if (!code && size > max_bytes) {
        read.error = "cannot read " + path + ": it is larger than " +
                     std::to_string(max_bytes / (1024 * 1024)) + " MB";
        return read;
    }
    if (!code) read.bytes.reserve(static_cast<std::size_t>(size));
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        read.bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (read.bytes.size() > max_bytes) {
            read.error = "cannot read " + path + ": it is larger than " +
                         std::to_string(max_bytes / (1024 * 1024)) + " MB";
            read.bytes.clear();
            return read;
        }
    }
    if (in.bad()) {
        read.error = "cannot read " + path + ": a read error occurred";
        read.bytes.clear();
    }
    return read;
}

std::string write_file_atomically(const std::string& path, std::string_view content) {
    if (content.empty()) return "refusing to write an empty " + path;
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) return "cannot write " + temporary + ": " + std::strerror(errno);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.flush();
        if (!out) {
            std::error_code ignored;
            std::filesystem::remove(temporary, ignored);
            return "cannot write " + temporary + " (is the disk full?)";
        }
    }
    std::error_code code;
    std::filesystem::rename(temporary, path, code);
    if (code) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        return "cannot replace " + path + ": " + code.message();
    }
    return {};
}

std::optional<Workspace> load_workspace_file(const std::string& path, std::ostream& err) {
    auto file = read_file(path, kMaxDocumentBytes);
    if (!file.ok()) {
        err << file.error << "\n";
        return std::nullopt;
    }
    auto loaded = workspace_from_json(file.bytes);
    if (!loaded.ok()) {
        err << path << ": " << (loaded.error.empty() ? "not a Pipeboard workspace" : loaded.error)
            << "\n";
        return std::nullopt;
    }
    if (!loaded.problems.empty()) {
        err << path << ": " << loaded.problems.size()
            << " problem(s) while loading; run `pipeboard-cli validate " << path
            << "` for details\n";
    }
    return std::move(loaded.workspace);
}

std::optional<Timestamp> resolve_now(const ParsedArgs& args, const CliEnvironment& environment,
                                     std::ostream& err) {
    auto text = args.value("--now");
    if (!text) return environment.now;
    auto now = parse_timestamp(*text);
    if (!now) err << "--now '" << *text << "' is not a date\n";
    return now;
}

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

int usage_error(std::ostream& err, std::string_view message, std::string_view usage) {
    err << "error: " << message << "\n\n" << usage;
    return kCliUsage;
}

std::string workspace_file_text(const Workspace& workspace) {
    return workspace_to_json(workspace, true) + "\n";
}

}  // namespace pb::cli
