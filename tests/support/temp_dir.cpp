#include "temp_dir.hpp"

#include <stdlib.h>

#include <fstream>
#include <stdexcept>
#include <system_error>

namespace tickwire::test {

TempDir::TempDir(std::string_view prefix) {
  auto pattern =
      (std::filesystem::temp_directory_path() / ("tickwire-" + std::string(prefix) + "-XXXXXX"))
          .string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot make a directory " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;  // a destructor does not throw; what is left is only litter
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, std::string_view contents) const {
  const auto file = (path_ / name).string();
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  if (!out) throw std::runtime_error("cannot write " + file);
  return file;
}

}  // namespace tickwire::test
