package com.galdosinc.glib.gml.schema;

public abstract interface GmlGeometryDefinition extends GmlObjectDefinition
{
  public abstract int getCorrespondingGmlGeometryTypeCode();
}