/**
 * This package includes miscellaneous utility classes to support testing.
 */
package org.opengis.cite.ogcapifeatures10.util;
