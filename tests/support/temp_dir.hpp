// A fresh directory for a test's files (certificates, keys, config files), removed with its
// contents when the object goes: a test run leaves nothing behind in the temp folder.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace tickwire::test {

class TempDir {
 public:
  // Under $TMPDIR (or /tmp), named tickwire-`prefix`-XXXXXX; throws std::runtime_error if it
  // cannot be made.
  explicit TempDir(std::string_view prefix = "test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `contents` to `name` in the directory; returns the file's path.
  std::string write(const std::string& name, std::string_view contents) const;
  const std::filesystem::path& path() const { return path_; }
  // A path for `name` inside the directory (not created).
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace tickwire::test
