// Links the installed SDK and calls one exported function: proves headers, library and the exported
// CMake / pkg-config metadata fit together.
#include <openlive/events.h>
#include <openlive/version.h>

#include <iostream>

int main() {
  const openlive::EventInfo* e = openlive::findEvent(1001);
  if (!e) {
    std::cerr << "findEvent(1001) returned nullptr\n";
    return 1;
  }
  std::cout << e->name << "\n" << "OpenLive " << OPENLIVE_VERSION_STRING << "\n";
  return e->name == "PUSH_EVT_CONNECT_SUCC" ? 0 : 2;
}
