# SFT: held-out loss (answer + <|endoftext|>) for two loss masks
# Render from this directory: gnuplot sft-masks.gp  (writes sft-masks.png)
if (!exists("outfile")) outfile = 'sft-masks.png'
set terminal pngcairo size 800,551 noenhanced font 'Sans,11'
set output outfile
set title 'SFT: held-out loss (answer + <|endoftext|>) for two loss masks'
set xlabel 'optimizer step'
set ylabel 'held-out response loss (nats/token)'
set key outside below center horizontal Left reverse samplen 2 maxcols 1 height 1
set grid
set xrange [0:60]
set yrange [0.397301499:1.91364463]
set style fill transparent solid 0.2 noborder
plot 'sft-masks.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'everything but <|endoftext|> (the notebook''s)', \
     'sft-masks.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'response and <|endoftext|> (ours)'
