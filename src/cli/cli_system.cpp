// The machine's side of the CLI environment: the wall clock and a random id seed. The only
// place the subcommands touch either, so everything else runs at a time the caller chooses.
#include <chrono>
#include <random>

#include "cli/cli.hpp"

namespace pb {

CliEnvironment system_cli_environment() {
    CliEnvironment environment;
    environment.now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    std::random_device entropy;
    environment.id_seed = (static_cast<std::uint64_t>(entropy()) << 32) ^ entropy();
    return environment;
}

}  // namespace pb
