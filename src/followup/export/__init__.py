"""The researcher export (`followup export`): the warehouse as SPSS, Stata, CSV or Parquet files, k-anonymous.

* research: `export_research`, the export whole (read, generalise, write);
* kanonymity: quasi-identifiers generalised, then graduates still in too small a class left out (pycanon);
* frames: the wide file (graduate x wave, one column per item) and the long file (one row per answer);
* codebook: SPSS/Stata-valid variable names, variable and value labels from the definitions;
* writers: .sav and .dta (pyreadstat), CSV, Parquet, and the codebook.

Nothing personal is read: graduates are the warehouse's pseudonyms, exit and birth are given only as
coarse as k-anonymity allows, comments and open answers are not exported.
"""
