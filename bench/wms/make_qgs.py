#!/usr/bin/python3
"""Generate the QGIS Server project of the WMS benchmark (python3-qgis, headless).

Usage: QT_QPA_PLATFORM=offscreen make_qgs.py RASTER OUT.qgs --extent XMIN YMIN XMAX YMAX
                                             [--layer ortho] [--quality 85]

One raster layer RASTER (the VRT over the benchmark COGs), named and short-named
LAYER, rendered as multiband colour 1/2/3 without contrast enhancement (raw bytes,
like MapServer and geocentre), with the pipe resampler set to bilinear when zoomed in
and when zoomed out (maxOversampling 2, QGIS's default).  WMS: EPSG:2154 and
EPSG:3857 advertised, JPEG quality QUALITY, 4096 px max.
"""
import argparse
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsBilinearRasterResampler,
    QgsCoordinateReferenceSystem,
    QgsMultiBandColorRenderer,
    QgsProject,
    QgsRasterLayer,
)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("raster")
    ap.add_argument("out")
    ap.add_argument("--extent", nargs=4, type=float, required=True)
    ap.add_argument("--layer", default="ortho")
    ap.add_argument("--quality", type=int, default=85)
    a = ap.parse_args()

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    prj = QgsProject.instance()
    prj.setCrs(QgsCoordinateReferenceSystem("EPSG:2154"))
    prj.setTitle("geocentre WMS benchmark")

    rl = QgsRasterLayer(os.path.abspath(a.raster), a.layer, "gdal")
    if not rl.isValid():
        sys.exit(f"QGIS cannot open {a.raster}")
    rl.setShortName(a.layer)
    ren = QgsMultiBandColorRenderer(rl.dataProvider(), 1, 2, 3)  # no contrast enhancement
    rl.setRenderer(ren)
    rf = rl.resampleFilter()
    rf.setZoomedInResampler(QgsBilinearRasterResampler())
    rf.setZoomedOutResampler(QgsBilinearRasterResampler())
    rf.setMaxOversampling(2.0)
    prj.addMapLayer(rl)

    xmin, ymin, xmax, ymax = a.extent
    prj.writeEntry("WMSServiceCapabilities", "/", True)
    prj.writeEntry("WMSServiceTitle", "/", "geocentre WMS benchmark")
    prj.writeEntry("WMSCrsList", "/", ["EPSG:2154", "EPSG:3857"])
    prj.writeEntry("WMSExtent", "/", [f"{xmin:.2f}", f"{ymin:.2f}", f"{xmax:.2f}", f"{ymax:.2f}"])
    prj.writeEntry("WMSImageQuality", "/", a.quality)
    prj.writeEntry("WMSMaxWidth", "/", 4096)
    prj.writeEntry("WMSMaxHeight", "/", 4096)
    prj.writeEntry("WMSUseLayerIDs", "/", False)
    if not prj.write(a.out):
        sys.exit(f"cannot write {a.out}")
    app.exitQgis()
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
