/**
 * This package includes tests covering the use of filter predicates in query expressions.
 * The following filter capabilities must be implemented at the "Basic WFS" conformance
 * level:
 *
 * <ul>
 * <li>ImplementsAdHocQuery</li>
 * <li>ImplementsResourceId</li>
 * <li>ImplementsMinStandardFilter</li>
 * <li>ImplementsStandardFilter</li>
 * <li>ImplementsMinSpatialFilter</li>
 * <li>ImplementsSorting</li>
 * <li>ImplementsMinimumXPath</li>
 * </ul>
 *
 * <p style="margin-bottom: 0.5em">
 * <strong>Sources</strong>
 * </p>
 * <ul>
 * <li>ISO 19142:2010, cl. A.1.2: Basic WFS</li>
 * <li>ISO 19142:2010, Table 1: Conformance classes (FES Conformance Tests)</li>
 * </ul>
 */
package org.opengis.cite.iso19142.basic.filter;