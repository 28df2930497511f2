package com.galdosinc.glib.gml.schema;

public class GMLSchemaParserException extends Exception
{
  public GMLSchemaParserException(String msg)
  {
    super(msg);
  }
}