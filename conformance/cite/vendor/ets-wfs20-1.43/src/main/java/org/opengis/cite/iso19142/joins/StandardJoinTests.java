package org.opengis.cite.iso19142.joins;

public class StandardJoinTests {

}
