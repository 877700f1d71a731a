#include "transport/rtmp_invoke.h"

#include "demux/amf0.h"

namespace openlive::transport {

std::optional<Invoke> decodeInvoke(const uint8_t* body, size_t size) {
  using demux::amf0::Value;
  if (!body || size == 0) return std::nullopt;
  demux::amf0::Reader reader(body, size);
  Value method, txn;
  if (!reader.read(method) || method.type != Value::Type::String) return std::nullopt;
  if (!reader.read(txn) || txn.type != Value::Type::Number) return std::nullopt;
  Invoke inv;
  inv.method = std::move(method.string);
  inv.txn = txn.number;
  if (!inv.isStatus() && !inv.isError()) return inv;
  // Command object (null, or properties for connect's reply), then the info object. A server that leaves the
  // info out but puts the code into the command object is read from there.
  Value commandObject, info;
  if (reader.read(commandObject) && !(reader.read(info) && info.type == Value::Type::Object))
    info = commandObject.type == Value::Type::Object ? std::move(commandObject) : Value{};
  inv.code = info.stringAt("code").value_or("");
  inv.level = info.stringAt("level").value_or("");
  inv.description = info.stringAt("description").value_or("");
  inv.status = inv.code.empty() ? StreamStatus::Unknown : statusFromCode(inv.code);
  return inv;
}

}  // namespace openlive::transport
