// tickwire: the desktop watchlist, portfolio and operator app. By default it bundles the whole
// backend in-process; --backend URL connects to a remote frontend instead. The startup is
// run_app (app_main.hpp), shared with the test-only tickwire-e2e; nothing here is for tests.
#include "app_main.hpp"

int main(int argc, char** argv) { return tickwire::desktop::run_app(argc, argv); }
