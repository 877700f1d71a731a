// DebugOverlay: text over the picture (see debug_overlay.h).
#include "render/debug_overlay.h"

#include "common/logging.h"
#include "render/sdl_view.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <mutex>

namespace openlive::render {

namespace {

std::string findMonospaceFont() {
  if (!FcInit()) return {};
  std::string path;
  FcPattern* want = FcNameParse(reinterpret_cast<const FcChar8*>("monospace"));
  if (!want) return {};
  FcConfigSubstitute(nullptr, want, FcMatchPattern);
  FcDefaultSubstitute(want);
  FcResult result = FcResultNoMatch;
  if (FcPattern* match = FcFontMatch(nullptr, want, &result)) {
    FcChar8* file = nullptr;
    if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch && file)
      path = reinterpret_cast<const char*>(file);
    FcPatternDestroy(match);
  }
  FcPatternDestroy(want);
  return path;
}

int fontPxFor(SDL_Renderer* ren) {
  int w = 0, h = 0;
  SDL_GetRendererOutputSize(ren, &w, &h);
  return std::clamp(h / DebugOverlay::kLinesPerHeight, DebugOverlay::kMinFontPx, DebugOverlay::kMaxFontPx);
}

}  // namespace

std::string overlayFontPath() {
  static std::once_flag once;
  static std::string path;
  std::call_once(once, [] { path = findMonospaceFont(); });
  return path;
}

std::unique_ptr<DebugOverlay> DebugOverlay::create(SDL_Renderer* renderer, std::string* why) {
  const std::string path = overlayFontPath();
  if (path.empty()) {
    *why = "fontconfig found no monospace font (install fonts-dejavu-core)";
    return nullptr;
  }
  if (!acquireTtf(why)) return nullptr;
  const int px = fontPxFor(renderer);
  TTF_Font* font = TTF_OpenFont(path.c_str(), px);
  if (!font) {
    *why = path + ": " + TTF_GetError();
    releaseTtf();
    return nullptr;
  }
  return std::unique_ptr<DebugOverlay>(new DebugOverlay(renderer, font, px));
}

DebugOverlay::DebugOverlay(SDL_Renderer* renderer, TTF_Font* font, int fontPx)
    : ren_(renderer), font_(font), fontPx_(fontPx) {}

DebugOverlay::~DebugOverlay() {
  if (tex_) SDL_DestroyTexture(tex_);
  TTF_CloseFont(font_);
  releaseTtf();
}

void DebugOverlay::setLines(std::vector<std::string> lines) {
  if (lines == lines_) return;
  lines_ = std::move(lines);
  dirty_ = true;
}

bool DebugOverlay::render() {
  if (tex_) SDL_DestroyTexture(tex_);
  tex_ = nullptr;
  std::vector<SDL_Surface*> rendered;
  int width = 0;
  const SDL_Color white{255, 255, 255, 255};
  for (const std::string& line : lines_) {
    SDL_Surface* s = TTF_RenderUTF8_Blended(font_, line.empty() ? " " : line.c_str(), white);
    if (s) width = std::max(width, s->w);
    rendered.push_back(s);
  }
  const int skip = TTF_FontLineSkip(font_);
  texW_ = width + 2 * kPadding;
  texH_ = int(lines_.size()) * skip + 2 * kPadding;
  SDL_Surface* box = SDL_CreateRGBSurfaceWithFormat(0, texW_, texH_, 32, SDL_PIXELFORMAT_ARGB8888);
  if (box) {
    SDL_FillRect(box, nullptr, SDL_MapRGBA(box->format, 0, 0, 0, 170));  // translucent black under the text
    for (size_t i = 0; i < rendered.size(); ++i) {
      if (!rendered[i]) continue;
      SDL_Rect at{kPadding, kPadding + int(i) * skip, rendered[i]->w, rendered[i]->h};
      SDL_BlitSurface(rendered[i], nullptr, box, &at);
    }
    tex_ = SDL_CreateTextureFromSurface(ren_, box);
    if (tex_) SDL_SetTextureBlendMode(tex_, SDL_BLENDMODE_BLEND);
    SDL_FreeSurface(box);
  }
  for (SDL_Surface* s : rendered)
    if (s) SDL_FreeSurface(s);
  return tex_ != nullptr;
}

void DebugOverlay::draw() {
  if (lines_.empty()) return;
  if (const int px = fontPxFor(ren_); px != fontPx_ && TTF_SetFontSize(font_, px) == 0) {
    fontPx_ = px;
    dirty_ = true;
  }
  if (dirty_) {
    dirty_ = false;
    if (!render()) OL_LOGW("render", "debug overlay: %s", SDL_GetError());
  }
  if (!tex_) return;
  SDL_Rect dst{kMargin, kMargin, texW_, texH_};
  SDL_RenderCopy(ren_, tex_, nullptr, &dst);
}

}  // namespace openlive::render
