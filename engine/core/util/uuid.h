// Random (version 4) UUIDs for record ids.
#pragma once
#include <string>

namespace skema {

// "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lower case. The generator is seeded
// once per thread from std::random_device; thread-safe.
std::string newUuid();
bool isUuid(const std::string& s);

}  // namespace skema
