package com.galdosinc.glib.gml.schema;

public abstract interface GmlFeatureDefinition extends GmlObjectDefinition
{
}