// The debug overlay's drawing (render stage): lines of text in a translucent box at the top-left of a
// renderer's output, over the picture. SDL2_ttf with the font fontconfig picks for "monospace" (the Debian
// package fonts-dejavu-core gives DejaVu Sans Mono); the text is rendered into a texture only when the lines or
// the output's height (which sets the font size) change, so a shown overlay costs one blended copy per picture.
//
// Threading: like the renderer it draws into, used on one thread only.
#pragma once

#include <memory>
#include <string>
#include <vector>

struct SDL_Renderer;
struct SDL_Texture;
typedef struct _TTF_Font TTF_Font;

namespace openlive::render {

class DebugOverlay {
 public:
  // nullptr with `why` when SDL2_ttf does not start or no font is found.
  static std::unique_ptr<DebugOverlay> create(SDL_Renderer* renderer, std::string* why);
  ~DebugOverlay();
  DebugOverlay(const DebugOverlay&) = delete;
  DebugOverlay& operator=(const DebugOverlay&) = delete;

  void setLines(std::vector<std::string> lines);
  // Draws the box and the text at the top-left of the output (nothing without lines).
  void draw();

  static constexpr int kMargin = 8;   // px from the output's top-left corner to the box
  static constexpr int kPadding = 6;  // px between the box's edge and the text
  static constexpr int kMinFontPx = 12, kMaxFontPx = 24;
  static constexpr int kLinesPerHeight = 30;  // font size = output height / this, clamped

 private:
  DebugOverlay(SDL_Renderer* renderer, TTF_Font* font, int fontPx);
  bool render();  // the lines into tex_

  SDL_Renderer* ren_;
  TTF_Font* font_;
  int fontPx_;
  std::vector<std::string> lines_;
  SDL_Texture* tex_ = nullptr;
  int texW_ = 0, texH_ = 0;
  bool dirty_ = true;
};

// The path of the font the overlay uses (fontconfig's match for "monospace"), "" when there is none.
std::string overlayFontPath();

}  // namespace openlive::render
