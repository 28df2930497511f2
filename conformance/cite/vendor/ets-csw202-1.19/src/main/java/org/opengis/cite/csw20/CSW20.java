package org.opengis.cite.csw20;

/**
 * Contains various constants defined in the CSW 2.0.2 specification, such as test run
 * parameters.
 *
 * @see "OGC 07-006r1: OGC Catalog Service for the Web Implementation Specification, Version 2.0.2"
 */
public class CSW20 {

	private CSW20() {
	}

	/** Supplies reference to CSW capabilities document (URI). */
	public static final String CAPABILITIES_URL = "capabilities.url";

}
