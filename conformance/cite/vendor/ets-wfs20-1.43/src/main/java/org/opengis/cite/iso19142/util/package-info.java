/**
 * This package includes miscellaneous utility classes to support testing.
 */
package org.opengis.cite.iso19142.util;
