#include "scene_graph_backend.hpp"

#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QQuickWindow>
#include <QSGRendererInterface>

namespace tickwire::desktop {

bool is_software_renderer(const QString& gl_renderer) {
  static const char* const kSoftware[] = {"llvmpipe", "softpipe", "swrast",
                                          "software rasterizer", "gdi generic",
                                          "basic render driver"};
  const QString r = gl_renderer.toLower();
  for (const char* name : kSoftware) {
    if (r.contains(QLatin1String(name))) return true;
  }
  return false;
}

namespace {

// GL_RENDERER of a throwaway context, empty when OpenGL cannot be had at all.
QString probe_gl_renderer() {
  QOpenGLContext context;
  if (!context.create()) return {};
  QOffscreenSurface surface;
  surface.setFormat(context.format());
  surface.create();
  if (!surface.isValid() || !context.makeCurrent(&surface)) return {};
  const auto* name = context.functions()->glGetString(GL_RENDERER);
  QString renderer = name ? QString::fromLatin1(reinterpret_cast<const char*>(name)) : QString();
  context.doneCurrent();
  return renderer;
}

}  // namespace

SceneGraphChoice choose_scene_graph() {
  if (qEnvironmentVariableIsSet("QT_QUICK_BACKEND") || qEnvironmentVariableIsSet("QSG_RHI_BACKEND")) {
    return {false, QStringLiteral("as QT_QUICK_BACKEND / QSG_RHI_BACKEND say")};
  }
  const QString renderer = probe_gl_renderer();
  SceneGraphChoice choice;
  if (renderer.isEmpty()) {
    choice = {true, QStringLiteral("no OpenGL here")};
  } else if (is_software_renderer(renderer)) {
    choice = {true, QStringLiteral("OpenGL here is %1, a CPU rasterizer").arg(renderer)};
  } else {
    choice = {false, QStringLiteral("OpenGL here is %1").arg(renderer)};
  }
  if (choice.software) QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
  return choice;
}

}  // namespace tickwire::desktop
