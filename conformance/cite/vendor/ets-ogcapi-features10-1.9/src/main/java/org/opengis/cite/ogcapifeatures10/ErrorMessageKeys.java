package org.opengis.cite.ogcapifeatures10;

/**
 * Defines keys used to access localized messages for assertion errors. The messages are
 * stored in Properties files that are encoded in ISO-8859-1 (Latin-1). For some languages
 * the {@code native2ascii} tool must be used to process the files and produce escaped
 * Unicode characters.
 */
public class ErrorMessageKeys {

	/** Constant <code>NOT_SCHEMA_VALID="NotSchemaValid"</code> */
	public static final String NOT_SCHEMA_VALID = "NotSchemaValid";

	/** Constant <code>EMPTY_STRING="EmptyString"</code> */
	public static final String EMPTY_STRING = "EmptyString";

	/** Constant <code>XPATH_RESULT="XPathResult"</code> */
	public static final String XPATH_RESULT = "XPathResult";

	/** Constant <code>NAMESPACE_NAME="NamespaceName"</code> */
	public static final String NAMESPACE_NAME = "NamespaceName";

	/** Constant <code>LOCAL_NAME="LocalName"</code> */
	public static final String LOCAL_NAME = "LocalName";

	/** Constant <code>XML_ERROR="XMLError"</code> */
	public static final String XML_ERROR = "XMLError";

	/** Constant <code>XPATH_ERROR="XPathError"</code> */
	public static final String XPATH_ERROR = "XPathError";

	/** Constant <code>MISSING_INFOSET_ITEM="MissingInfosetItem"</code> */
	public static final String MISSING_INFOSET_ITEM = "MissingInfosetItem";

	/** Constant <code>UNEXPECTED_STATUS="UnexpectedStatus"</code> */
	public static final String UNEXPECTED_STATUS = "UnexpectedStatus";

	/** Constant <code>UNEXPECTED_MEDIA_TYPE="UnexpectedMediaType"</code> */
	public static final String UNEXPECTED_MEDIA_TYPE = "UnexpectedMediaType";

	/** Constant <code>MISSING_ENTITY="MissingEntity"</code> */
	public static final String MISSING_ENTITY = "MissingEntity";

}
