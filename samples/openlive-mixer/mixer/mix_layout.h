// The mix layout of openlive-mixer: the mergeParams request of the RoomService (docs/ROOMS.md, rooms.md §5)
// parsed and checked. Layer 1 is the background: a stream whose window is the whole canvas, or a canvas input
// (input_type 3) that only gives the size; layers 2..4 are windows inside it.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace openlive::mixer {

// Why a mergeParams request was refused. The numbers are stable (roomd's merge_code, the CLI's message).
enum class LayoutError {
  NotAnObject = 1,          // mergeParams (or interface / para) is not a JSON object
  NoInputs = 2,             // input_stream_list missing or empty
  TooManyInputs = 3,        // more than kMaxStreams stream inputs, or more than kMaxEntries entries
  BadInput = 4,             // an input lacks input_stream_id / layout_params, or a field has the wrong type
  BadLayer = 5,             // image_layer not 1..kMaxEntries, or two inputs on one layer
  NoBackground = 6,         // no input on layer 1
  BadSize = 7,              // a window or the canvas not positive, or larger than 4096
  OutsideCanvas = 8,        // a window not inside the canvas
  BadCrop = 9,              // crop_params not positive
  UnknownStream = 10,       // an input stream this mixer was not given a URL for
  UnsupportedInputType = 11,  // input_type other than 0 (stream), 2 (picture), 3 (canvas)
};
const char* describe(LayoutError e);

struct Rect {
  int x = 0, y = 0, width = 0, height = 0;
  bool operator==(const Rect&) const = default;
};

enum class InputKind { Stream, Picture, Canvas };

struct MixInput {
  std::string streamId;
  InputKind kind = InputKind::Stream;
  int layer = 1;
  Rect window;                // on the canvas
  std::optional<Rect> crop;   // of the input picture; none: the centre part with the window's aspect
  std::string pictureId;      // Picture inputs: layout_params.picture_id (a number or a string; "" = none)
};

struct MixLayout {
  int canvasWidth = 0, canvasHeight = 0;
  std::vector<MixInput> inputs;  // by layer, background first
  // Streams with a picture or sound to play (Stream inputs).
  std::vector<std::string> streamIds() const;
  // More than one input: a composed picture; only the background stream: the anchor alone.
  bool mixing() const { return inputs.size() > 1; }
  // Mixing off with nothing to do to the picture (one stream input, uncropped): the mixer can forward the
  // stream's H.264 as it comes instead of re-encoding it.
  bool forwardable() const { return inputs.size() == 1 && inputs[0].kind == InputKind::Stream && !inputs[0].crop; }
  // The picture_ids of its Picture inputs.
  std::vector<std::string> pictureIds() const;
};

// rooms.md: "at most 4 inputs" -- the anchor and up to three co-anchors, i.e. 4 streams. A canvas input and
// picture inputs (the PC layout: a canvas, the anchor, three squares that are co-anchors or pictures) are entries
// of the list on top of those: at most kMaxEntries in all, one per layer 1..kMaxEntries.
inline constexpr size_t kMaxStreams = 4;
inline constexpr size_t kMaxEntries = 6;
inline constexpr int kMaxCanvasSide = 4096;

struct LayoutResult {
  std::optional<MixLayout> layout;
  LayoutError error = LayoutError::NotAnObject;
  std::string detail;  // which input or field, for the message
  std::string message() const;
};

// `known`: the stream ids this mixer can play (empty: any id is accepted).
LayoutResult parseMergeParams(const nlohmann::json& mergeParams, const std::set<std::string>& known);

}  // namespace openlive::mixer
