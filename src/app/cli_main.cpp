// pipeboard-cli: the subcommands without a window, for scripts and machines with no display.
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    return pb::run_cli(args, std::cout, std::cerr, pb::system_cli_environment());
}
