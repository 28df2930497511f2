/**
 * This package contains test classes that assess behavior of the SUT with respect to the
 * "Transactional WFS" conformance level. It builds upon the "Basic WFS" conformance level
 * and adds the following service requests:
 *
 * <ul>
 * <li>Transaction</li>
 * </ul>
 *
 * <p style="margin-bottom: 0.5em">
 * <strong>Sources</strong>
 * </p>
 * <ul>
 * <li>ISO ISO 19142:2010, cl. 2, Table 1</li>
 * <li>ISO ISO 19142:2010, cl. A.1.3: Transactional WFS</li>
 * </ul>
 */
package org.opengis.cite.iso19142.transaction;