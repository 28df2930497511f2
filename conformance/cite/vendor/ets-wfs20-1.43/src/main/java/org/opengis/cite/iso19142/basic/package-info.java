/**
 * This package contains test classes that assess conformance of the SUT with respect to
 * the "Basic WFS" conformance level. It builds upon the "Simple WFS" conformance level
 * and adds the following service requests:
 *
 * <ul>
 * <li>GetFeature with ad hoc query support</li>
 * <li>GetPropertyValue</li>
 * </ul>
 *
 * <p style="margin-bottom: 0.5em">
 * <strong>Sources</strong>
 * </p>
 * <ul>
 * <li>ISO ISO 19142:2010, cl. 2, Table 1</li>
 * <li>ISO ISO 19142:2010, cl. A.1.2: Basic WFS</li>
 * <li>ISO ISO 19143:2010, Table 1: FE conformance classes</li>
 * </ul>
 */
package org.opengis.cite.iso19142.basic;