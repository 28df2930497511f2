"""Headless QGIS renderer for test_qgis.py (not a test module itself).

Run with Debian's interpreter (python3-qgis), QT_QPA_PLATFORM=offscreen:

    /usr/bin/python3 qgis_render.py JOB.json

JOB.json:
    {"profile": DIR, "out": DIR,
     "renders": [{"name": str, "provider": "wms", "uri": str, "crs": "EPSG:n",
                  "extent": [minx, miny, maxx, maxy], "width": int, "height": int}, ...]}

For each render: load the layer, check it is valid, render the extent with
QgsMapSettings + QgsMapRendererSequentialJob onto a transparent ARGB32 image,
save OUT/<name>.png. Writes OUT/result.json with, per render, validity, errors,
the layer's CRS and native resolutions, the extent QGIS really rendered
(visibleExtent), and the URLs QGIS requested; plus the QGIS version and log.

Exit status: 0 when result.json was written (checks are the test's job),
3 when qgis cannot be imported, other values on crashes.
"""
import json
import os
import sys
import time


def main():
    job = json.load(open(sys.argv[1]))
    try:
        from qgis.core import (Qgis, QgsApplication, QgsCoordinateReferenceSystem, QgsMapRendererSequentialJob,
                               QgsMapSettings, QgsNetworkAccessManager, QgsNetworkRequestParameters,
                               QgsRasterLayer, QgsRectangle)
        from qgis.PyQt.QtCore import QCoreApplication, QSize
        from qgis.PyQt.QtGui import QColor, QImage
    except ImportError as e:
        print(f"cannot import qgis with {sys.executable}: {e}", file=sys.stderr)
        return 3

    app = QgsApplication([], False, job["profile"])
    app.initQgis()

    log = []
    QgsApplication.messageLog().messageReceived.connect(
        lambda msg, tag, level: log.append({"tag": tag, "level": int(level), "message": msg}))

    requests = []

    def on_request(params):
        try:
            requests.append(params.request().url().toString())
        except Exception as e:  # noqa: BLE001 -- an exception in a Qt slot aborts the process
            requests.append(f"(unreadable request: {e})")

    # The signal is overloaded (a deprecated Operation/QNetworkRequest form): pick the parameters one.
    QgsNetworkAccessManager.instance().requestAboutToBeCreated[QgsNetworkRequestParameters].connect(on_request)

    results = {"qgis_version": Qgis.QGIS_VERSION, "renders": {}, "log": log}
    for r in job["renders"]:
        t0 = time.time()
        first_req = len(requests)
        out = {"uri": r["uri"]}
        results["renders"][r["name"]] = out
        layer = QgsRasterLayer(r["uri"], r["name"], r["provider"])
        out["valid"] = layer.isValid()
        if not layer.isValid():
            # (Not layer.dataProvider().error(): QGIS 3.22 segfaults on an invalid WMTS provider.)
            out["error"] = layer.error().summary()
            out["requests"] = requests[first_req:]
            continue
        dp = layer.dataProvider()
        out["layer_crs"] = layer.crs().authid()
        e = layer.extent()
        out["layer_extent"] = [e.xMinimum(), e.yMinimum(), e.xMaximum(), e.yMaximum()]
        out["native_resolutions"] = list(dp.nativeResolutions())
        out["band_count"] = layer.bandCount()

        ms = QgsMapSettings()
        ms.setLayers([layer])
        ms.setDestinationCrs(QgsCoordinateReferenceSystem(r["crs"]))
        ms.setOutputSize(QSize(r["width"], r["height"]))
        ms.setOutputDpi(96)
        ms.setBackgroundColor(QColor(0, 0, 0, 0))
        ms.setOutputImageFormat(QImage.Format_ARGB32)
        ms.setExtent(QgsRectangle(*r["extent"]))
        v = ms.visibleExtent()
        out["visible_extent"] = [v.xMinimum(), v.yMinimum(), v.xMaximum(), v.yMaximum()]
        out["map_units_per_pixel"] = ms.mapUnitsPerPixel()

        rjob = QgsMapRendererSequentialJob(ms)
        rjob.start()
        rjob.waitForFinished()
        # Requests made by the provider's download thread reach on_request through queued signals.
        QCoreApplication.processEvents()
        out["render_errors"] = [f"{err.layerID}: {err.message}" for err in rjob.errors()]
        img = rjob.renderedImage()
        path = os.path.join(job["out"], r["name"] + ".png")
        out["saved"] = bool(img.save(path, "PNG"))
        out["png"] = path
        out["image_size"] = [img.width(), img.height()]
        out["requests"] = requests[first_req:]
        out["seconds"] = round(time.time() - t0, 3)

    with open(os.path.join(job["out"], "result.json"), "w") as f:
        json.dump(results, f, indent=1)
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
