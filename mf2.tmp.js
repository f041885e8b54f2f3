const {buildSync}=require('esbuild');
const e=process.argv[2];
const r=buildSync({entryPoints:[e],bundle:true,minify:true,platform:'node',format:'cjs',target:'node20',external:['@aws-sdk/*'],write:false,metafile:true,outfile:'/tmp/x.js',logLevel:'silent'});
const o=Object.values(r.metafile.outputs)[0];
const m=new Map();
for(const [k,v] of Object.entries(o.inputs)){const x=/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(k);const n=x?x[1]:'(own)';m.set(n,(m.get(n)||0)+v.bytesInOutput);}
console.log('total',o.bytes);
for(const [n,b] of [...m].sort((a,b)=>b[1]-a[1])) console.log(String(b).padStart(7),n);
