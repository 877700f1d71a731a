// OpenLive SDK - symbol export macro. Everything not marked OPENLIVE_API stays hidden.
#pragma once

#if defined(OPENLIVE_STATIC_INTERNAL)
#define OPENLIVE_API
#elif defined(OPENLIVE_BUILDING_LIBRARY)
#define OPENLIVE_API __attribute__((visibility("default")))
#else
#define OPENLIVE_API
#endif
