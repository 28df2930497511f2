module namespace functx = 'http://www.functx.com';
(: minimal subset of FunctX 1.0 used by testquery-md.xq, same definitions as functx-1.0 :)
declare function functx:replace-multi($arg as xs:string?, $changeFrom as xs:string*, $changeTo as xs:string*) as xs:string? {
  if (count($changeFrom) > 0)
  then functx:replace-multi(replace($arg, $changeFrom[1], functx:if-absent($changeTo[1],'')), $changeFrom[position() > 1], $changeTo[position() > 1])
  else $arg
};
declare function functx:if-absent($arg as item()*, $value as item()*) as item()* {
  if (exists($arg)) then $arg else $value
};
declare function functx:substring-after-last-match($arg as xs:string?, $regex as xs:string) as xs:string {
  replace($arg,concat('^.*',$regex),'')
};
