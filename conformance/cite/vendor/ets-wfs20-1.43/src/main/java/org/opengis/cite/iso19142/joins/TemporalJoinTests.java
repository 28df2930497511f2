package org.opengis.cite.iso19142.joins;

public class TemporalJoinTests {

	// self-join T1 DURING T1 (period)
	// self-join T1 AFTER T1
	// self-join T1 BEFORE T1
	// join T1 DURING T2 (period)
	// join T1 AFTER T2
	// join T1 BEFORE T2

}
