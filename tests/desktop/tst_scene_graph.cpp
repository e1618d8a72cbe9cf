// The choice between Qt Quick's GPU scene graph and its software renderer (scene_graph_backend):
// which OpenGL renderers are CPU rasterizers, that the environment's choice is left alone, and
// that a software choice is what windows then get.
#include <QGuiApplication>
#include <QQuickWindow>
#include <QSGRendererInterface>
#include <QTest>

#include "scene_graph_backend.hpp"

using tickwire::desktop::choose_scene_graph;
using tickwire::desktop::is_software_renderer;

class TestSceneGraph : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void cpuRasterizersAreToldFromGpus() {
    // GL_RENDERER strings as drivers report them.
    QVERIFY(is_software_renderer("llvmpipe (LLVM 15.0.6, 256 bits)"));
    QVERIFY(is_software_renderer("softpipe"));
    QVERIFY(is_software_renderer("Software Rasterizer"));
    QVERIFY(is_software_renderer("Mesa X11 swrast"));
    QVERIFY(is_software_renderer("GDI Generic"));
    QVERIFY(is_software_renderer("Microsoft Basic Render Driver"));
    QVERIFY(!is_software_renderer("Mesa Intel(R) UHD Graphics 620 (KBL GT2)"));
    QVERIFY(!is_software_renderer("NVIDIA GeForce RTX 3060/PCIe/SSE2"));
    QVERIFY(!is_software_renderer("AMD Radeon RX 6600 (navi23, LLVM 15.0.6, DRM 3.49)"));
    QVERIFY(!is_software_renderer("virgl (NVIDIA GeForce GTX 1080)"));
    QVERIFY(!is_software_renderer(""));
  }

  void theEnvironmentsChoiceIsLeftAlone() {
    qputenv("QT_QUICK_BACKEND", "rhi");
    const auto choice = choose_scene_graph();
    qunsetenv("QT_QUICK_BACKEND");
    QVERIFY(!choice.software);
    QVERIFY(choice.why.contains("QT_QUICK_BACKEND"));
    QVERIFY(QQuickWindow::sceneGraphBackend() != QLatin1String("software"));  // nothing set
  }

  void aSoftwareChoiceIsWhatWindowsGet() {
    const auto choice = choose_scene_graph();
    QVERIFY(!choice.why.isEmpty());
    if (choice.software) {
      QCOMPARE(QQuickWindow::sceneGraphBackend(), QStringLiteral("software"));
    } else {
      QVERIFY(choice.why.startsWith("OpenGL here is "));
      QVERIFY(!is_software_renderer(choice.why));
    }
  }
};

QTEST_MAIN(TestSceneGraph)
#include "tst_scene_graph.moc"
