
$Can the liver metastases be removed?My dad has bowel cancer	It spread"spread