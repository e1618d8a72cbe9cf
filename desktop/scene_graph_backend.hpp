// Which Qt Quick scene graph draws the app: the GPU one (Qt's RHI over OpenGL), or Qt Quick's
// software renderer where OpenGL is only a CPU rasterizer.
//
// Virtual machines, remote desktops (VNC, RDP, Citrix) and servers under Xvfb often have no GPU;
// Mesa then gives OpenGL through llvmpipe, which redraws the whole window on the CPU for every
// frame. A watchlist changes a few small texts per tick, and the software renderer repaints only
// those regions: with 500 ticking rows under Xvfb it costs a fraction of llvmpipe's frame time
// (docs/benchmarks-desktop.md). With a GPU nothing changes. QT_QUICK_BACKEND or QSG_RHI_BACKEND
// in the environment overrides the choice, as Qt documents.
#pragma once

#include <QString>

namespace tickwire::desktop {

// Whether GL_RENDERER names a software rasterizer: Mesa's llvmpipe, softpipe or swrast,
// Windows' GDI Generic or Basic Render Driver, or a generic "software rasterizer".
bool is_software_renderer(const QString& gl_renderer);

struct SceneGraphChoice {
  bool software = false;
  QString why;  // for the log, e.g. "OpenGL here is llvmpipe (LLVM 15.0.6, 256 bits)"
};

// Probes OpenGL once with an offscreen context and sets the scene graph for every window made
// after it (QQuickWindow::setGraphicsApi). Needs the QGuiApplication; call before the first
// QQuickWindow.
SceneGraphChoice choose_scene_graph();

}  // namespace tickwire::desktop
