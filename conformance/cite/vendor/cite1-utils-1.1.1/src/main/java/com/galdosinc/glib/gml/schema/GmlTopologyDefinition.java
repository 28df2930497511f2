package com.galdosinc.glib.gml.schema;

public abstract interface GmlTopologyDefinition extends GmlObjectDefinition
{
  public abstract int getCorrespondingGmlTopologyTypeCode();
}