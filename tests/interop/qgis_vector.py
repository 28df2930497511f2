"""Headless QGIS reader for test_qgis_vector.py (not a test module itself).

Run with Debian's interpreter (python3-qgis), QT_QPA_PLATFORM=offscreen:

    /usr/bin/python3 qgis_vector.py JOB.json

JOB.json: {"profile": DIR, "out": FILE,
           "layers": [{"name": str, "provider": "WFS" | "OAPIF", "uri": str,
                       "rect": [minx, miny, maxx, maxy] or null}, ...]}

For each layer: load it with QGIS's own provider, check it is valid, read every
feature (and, when `rect` is given, the features QGIS returns for that
rectangle in the layer's CRS), and write their `code` -> `nom` attributes, the
count, the layer CRS and the URLs QGIS requested to OUT (JSON).
Exit status: 0 when OUT was written, 3 when qgis cannot be imported.
"""
import json
import os
import sys


def main():
    job = json.load(open(sys.argv[1]))
    try:
        from qgis.core import (Qgis, QgsApplication, QgsFeatureRequest, QgsNetworkAccessManager,
                               QgsNetworkRequestParameters, QgsRectangle, QgsVectorLayer)
    except ImportError as e:
        print(f"cannot import qgis with {sys.executable}: {e}", file=sys.stderr)
        return 3
    app = QgsApplication([], False, job["profile"])
    app.initQgis()
    requests = []
    # The overload taking the request's parameters (the bare signal passes an Operation).
    QgsNetworkAccessManager.instance().requestAboutToBeCreated[QgsNetworkRequestParameters].connect(
        lambda p: requests.append(p.request().url().toString()))
    out = {"qgis": Qgis.QGIS_VERSION, "layers": {}}
    for spec in job["layers"]:
        lyr = QgsVectorLayer(spec["uri"], spec["name"], spec["provider"])
        res = {"valid": lyr.isValid(), "error": lyr.error().summary() if not lyr.isValid() else ""}
        if lyr.isValid():
            res["crs"] = lyr.crs().authid()
            feats = {}
            n = 0
            for f in lyr.getFeatures():
                n += 1
                feats[str(f["code"])] = f["nom"]
            res["count"] = n
            res["features"] = feats
            if spec.get("rect"):
                req = QgsFeatureRequest().setFilterRect(QgsRectangle(*spec["rect"]))
                res["in_rect"] = sorted(str(f["code"]) for f in lyr.getFeatures(req))
        out["layers"][spec["name"]] = res
    out["requests"] = requests
    with open(job["out"], "w") as fh:
        json.dump(out, fh, ensure_ascii=False)
    # QGIS 3.22 may crash tearing down its WFS provider threads at exit once
    # the results are written: leave without running those destructors.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
