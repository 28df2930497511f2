/**
 * This executable test suite (ETS) validates WFS 2.0 implementations in accord with ISO
 * 19136:2007. The root package includes supporting classes of general utility such as the
 * main controller, listeners, and reporters.
 *
 * <p>
 * Subsidiary packages correspond to distinct test groups such as conformance classes.
 * </p>
 */
package org.opengis.cite.iso19142;