// The EICAR anti-malware test file (https://www.eicar.org). The first 28 bytes
// are written as hex so this rule file itself is not the test string.
rule EICAR_Test_File : test antivirus
{
  meta:
    description = "EICAR anti-malware test file"
    severity = "high"
    reference = "https://www.eicar.org/download-anti-malware-testfile/"
  strings:
    $prefix = { 58 35 4F 21 50 25 40 41 50 5B 34 5C 50 5A 58 35 34 28 50 5E 29 37 43 43 29 37 7D 24 }
    $name = "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!"
  condition:
    $prefix at 0 or all of them
}
