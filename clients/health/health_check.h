#pragma once

#include <grpcpp/channel.h>

#include <chrono>
#include <memory>
#include <string>

namespace patientqa::clients {

enum class HealthStatus { kUnknown, kServing, kNotServing, kServiceUnknown, kUnreachable };

const char* HealthStatusName(HealthStatus status);

// Calls the standard grpc.health.v1.Health/Check for `service` ("" for the whole server). The
// health messages are tiny and stable, so they are encoded here by hand rather than generated.
HealthStatus CheckHealth(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                         std::chrono::milliseconds timeout);

}  // namespace patientqa::clients
