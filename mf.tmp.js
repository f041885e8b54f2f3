const {buildSync}=require('esbuild');const path=require('path');
const e=process.argv[2];
const r=buildSync({entryPoints:[e],bundle:true,minify:true,platform:'node',format:'cjs',target:'node20',external:['@aws-sdk/*'],write:false,metafile:true,outfile:'/tmp/x.js',logLevel:'silent'});
const o=Object.values(r.metafile.outputs)[0];
const rows=Object.entries(o.inputs).map(([k,v])=>[v.bytesInOutput,k]).sort((a,b)=>b[0]-a[0]);
for(const [b,k] of rows.slice(0,+process.argv[3]||40)) console.log(String(b).padStart(7),k);
