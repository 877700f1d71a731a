// Real bandwidth shaping: a network namespace joined to the host by a veth pair, with `tc tbf` on either end.
// Servers run inside the namespace (`nsExecPrefix()` + argv, or a thread after `enterNamespace()`), clients on
// the host connect to nsAddress(). The kernel here has tbf/htb but not netem, so delay and loss come from the
// FaultProxy instead. Everything is removed on destruction.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace openlive::test {

class ShapedLink {
 public:
  // nullptr + *whyNot when namespaces cannot be created here (not root, no `ip`, no veth support).
  static std::unique_ptr<ShapedLink> create(std::string* whyNot);
  ~ShapedLink();
  ShapedLink(const ShapedLink&) = delete;
  ShapedLink& operator=(const ShapedLink&) = delete;

  const std::string& nsName() const { return ns_; }
  const std::string& hostAddress() const { return hostAddr_; }  // host end of the veth
  const std::string& nsAddress() const { return nsAddr_; }      // namespace end: where servers listen

  // Caps host -> namespace traffic (toNamespace) or namespace -> host traffic with tbf; 0 removes the cap.
  bool setRate(int64_t bitsPerSecond, bool toNamespace, std::string* error = nullptr);

  // {"ip", "netns", "exec", <name>}: prefix a command to run it inside the namespace.
  std::vector<std::string> nsExecPrefix() const;
  // Moves the calling thread into the namespace (for in-process test servers). False on failure.
  bool enterNamespace() const;

 private:
  ShapedLink() = default;
  std::string ns_, hostIf_, nsIf_, hostAddr_, nsAddr_;
};

}  // namespace openlive::test
