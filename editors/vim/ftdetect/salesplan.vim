" *.plan files are salesplan plans (editors/vim: add it to 'runtimepath')
autocmd BufRead,BufNewFile *.plan setfiletype salesplan
