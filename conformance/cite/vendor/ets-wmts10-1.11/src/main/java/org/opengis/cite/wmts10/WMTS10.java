package org.opengis.cite.wmts10;

public class WMTS10 {

	/** Supplies reference to WMTS capabilities document (URI). */
	public static final String CAPABILITIES_URL = "capabilities-url";

}
