#include "mixer/mix_layout.h"

#include <algorithm>

namespace openlive::mixer {

using nlohmann::json;

const char* describe(LayoutError e) {
  switch (e) {
    case LayoutError::NotAnObject: return "mergeParams is not an object with interface.para";
    case LayoutError::NoInputs: return "input_stream_list is missing or empty";
    case LayoutError::TooManyInputs: return "more than 4 streams or 6 inputs";
    case LayoutError::BadInput: return "an input lacks input_stream_id or layout_params, or a field has the wrong type";
    case LayoutError::BadLayer: return "image_layer must be 1..6, one input per layer";
    case LayoutError::NoBackground: return "no input on layer 1 (the background)";
    case LayoutError::BadSize: return "a window or the canvas has a size outside 1..4096";
    case LayoutError::OutsideCanvas: return "a window is not inside the canvas";
    case LayoutError::BadCrop: return "crop_params must be a positive rectangle";
    case LayoutError::UnknownStream: return "an input stream is not one this mixer can play";
    case LayoutError::UnsupportedInputType: return "input_type must be 0 (stream), 2 (picture) or 3 (canvas)";
  }
  return "unknown layout error";
}

std::string LayoutResult::message() const {
  std::string m = describe(error);
  if (!detail.empty()) m += " (" + detail + ")";
  return m;
}

std::vector<std::string> MixLayout::streamIds() const {
  std::vector<std::string> ids;
  for (const auto& in : inputs)
    if (in.kind == InputKind::Stream) ids.push_back(in.streamId);
  return ids;
}

std::vector<std::string> MixLayout::pictureIds() const {
  std::vector<std::string> ids;
  for (const auto& in : inputs)
    if (in.kind == InputKind::Picture && !in.pictureId.empty()) ids.push_back(in.pictureId);
  return ids;
}

namespace {

// An integer field, or nullopt when absent; `bad` set when present but not an integer.
std::optional<int> intField(const json& o, const char* key, bool* bad) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) {
    *bad = true;
    return std::nullopt;
  }
  return it->get<int>();
}

LayoutResult fail(LayoutError e, std::string detail = {}) {
  LayoutResult r;
  r.error = e;
  r.detail = std::move(detail);
  return r;
}

// One entry of input_stream_list; nullopt with `err` set when it is not usable.
std::optional<MixInput> parseInput(const json& in, LayoutResult* err) {
  const std::string where = in.is_object() ? in.value("input_stream_id", std::string("?")) : "?";
  if (!in.is_object() || !in.contains("input_stream_id") || !in["input_stream_id"].is_string() ||
      !in.contains("layout_params") || !in["layout_params"].is_object()) {
    *err = fail(LayoutError::BadInput, where);
    return std::nullopt;
  }
  const json& lp = in["layout_params"];
  bool bad = false;
  MixInput m;
  m.streamId = in["input_stream_id"].get<std::string>();
  m.layer = intField(lp, "image_layer", &bad).value_or(0);
  m.window = {intField(lp, "location_x", &bad).value_or(0), intField(lp, "location_y", &bad).value_or(0),
              intField(lp, "image_width", &bad).value_or(0), intField(lp, "image_height", &bad).value_or(0)};
  const int type = intField(lp, "input_type", &bad).value_or(0);
  if (in.contains("crop_params") && in["crop_params"].is_object()) {
    const json& cp = in["crop_params"];
    m.crop = Rect{intField(cp, "crop_x", &bad).value_or(0), intField(cp, "crop_y", &bad).value_or(0),
                  intField(cp, "crop_width", &bad).value_or(0), intField(cp, "crop_height", &bad).value_or(0)};
  }
  if (bad) {
    *err = fail(LayoutError::BadInput, where);
    return std::nullopt;
  }
  if (lp.contains("picture_id")) {
    const json& pid = lp["picture_id"];
    if (pid.is_number_integer()) m.pictureId = std::to_string(pid.get<int64_t>());
    else if (pid.is_string()) m.pictureId = pid.get<std::string>();
    else bad = true;
  }
  if (bad) {
    *err = fail(LayoutError::BadInput, where + ": picture_id");
    return std::nullopt;
  }
  if (type == 0) m.kind = InputKind::Stream;
  else if (type == 2) m.kind = InputKind::Picture;
  else if (type == 3) m.kind = InputKind::Canvas;
  else {
    *err = fail(LayoutError::UnsupportedInputType, where + ": " + std::to_string(type));
    return std::nullopt;
  }
  return m;
}

bool positiveSize(const Rect& r) {
  return r.width > 0 && r.height > 0 && r.width <= kMaxCanvasSide && r.height <= kMaxCanvasSide;
}

// The checks that need the whole list: layers, background, sizes, windows, crops, streams.
LayoutResult check(MixLayout layout, const std::set<std::string>& known) {
  std::set<int> layers;
  for (const auto& in : layout.inputs) {
    if (in.layer < 1 || in.layer > int(kMaxEntries) || !layers.insert(in.layer).second)
      return fail(LayoutError::BadLayer, in.streamId + ": layer " + std::to_string(in.layer));
  }
  std::sort(layout.inputs.begin(), layout.inputs.end(),
            [](const MixInput& a, const MixInput& b) { return a.layer < b.layer; });
  if (layout.inputs.front().layer != 1) return fail(LayoutError::NoBackground);
  const MixInput& bg = layout.inputs.front();
  if (!positiveSize(bg.window)) return fail(LayoutError::BadSize, bg.streamId);
  layout.canvasWidth = bg.window.width;
  layout.canvasHeight = bg.window.height;
  for (auto& in : layout.inputs) {
    if (in.layer == 1) in.window.x = in.window.y = 0;  // the background fills the canvas
    if (!positiveSize(in.window)) return fail(LayoutError::BadSize, in.streamId);
    const Rect& w = in.window;
    if (w.x < 0 || w.y < 0 || w.x + w.width > layout.canvasWidth || w.y + w.height > layout.canvasHeight)
      return fail(LayoutError::OutsideCanvas, in.streamId);
    if (in.crop && (in.crop->x < 0 || in.crop->y < 0 || !positiveSize(*in.crop)))
      return fail(LayoutError::BadCrop, in.streamId);
    if (in.kind == InputKind::Canvas && in.layer != 1)
      return fail(LayoutError::BadLayer, in.streamId + ": a canvas input is the background");
    if (in.kind == InputKind::Stream && !known.empty() && !known.count(in.streamId))
      return fail(LayoutError::UnknownStream, in.streamId);
  }
  LayoutResult r;
  r.layout = std::move(layout);
  return r;
}

}  // namespace

LayoutResult parseMergeParams(const json& mp, const std::set<std::string>& known) {
  if (!mp.is_object() || !mp.contains("interface") || !mp["interface"].is_object() ||
      !mp["interface"].contains("para") || !mp["interface"]["para"].is_object())
    return fail(LayoutError::NotAnObject);
  const json& para = mp["interface"]["para"];
  auto list = para.find("input_stream_list");
  if (list == para.end() || !list->is_array() || list->empty()) return fail(LayoutError::NoInputs);
  if (list->size() > kMaxEntries) return fail(LayoutError::TooManyInputs, std::to_string(list->size()) + " inputs");
  MixLayout layout;
  for (const auto& in : *list) {
    LayoutResult err;
    auto m = parseInput(in, &err);
    if (!m) return err;
    layout.inputs.push_back(std::move(*m));
  }
  if (layout.streamIds().size() > kMaxStreams)
    return fail(LayoutError::TooManyInputs, std::to_string(layout.streamIds().size()) + " streams");
  return check(std::move(layout), known);
}

}  // namespace openlive::mixer
